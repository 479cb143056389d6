"""The attendance record: the person's own summary, their appeal of a no-show, staff's decision.

The record is shown with its reasons and never blocks signing up (``blocks_signup`` is always
false); an appeal is one per absence, and an accepted one turns the no-show into an excuse.
"""

from datetime import datetime

from sqlalchemy.orm import Session

from backend import crud as accounts
from backend.events import crud, errors
from backend.events.models import AppealState, Attendance, Event, EventSignup, ExcuseReason
from backend.events.present import present_all
from backend.events.signups import locked_event
from backend.events.wire import AppealDecision, AppealRequest, AttendancePublic, AttendanceSummary
from backend.models import User
from backend.notify.models import NotificationKind
from backend.notify.notifications import notify_event
from backend.staff import require_district

Signed = tuple[EventSignup, Event]


def attendance(session: Session, user: User) -> AttendancePublic:
    rows = crud.marked_signups_of_user(session, user.id)
    items = present_all(session, rows)
    return AttendancePublic(
        items=items,
        summary=AttendanceSummary(
            attended=sum(1 for s in items if s.attendance is Attendance.ATTENDED),
            excused=sum(1 for s in items if s.attendance is Attendance.EXCUSED),
            no_show=sum(1 for s in items if s.attendance is Attendance.NO_SHOW),
            appeals_pending=sum(
                1 for s in items if s.appeal is not None and s.appeal.state is AppealState.PENDING
            ),
        ),
        blocks_signup=False,
    )


def appeal(
    session: Session,
    user: User,
    signup_id: str,
    body: AppealRequest,
    now: datetime,
    key: str | None,
) -> Signed:
    """The person explains a no-show; once per absence."""
    signup = crud.get_signup(session, signup_id)
    if signup is None or signup.user_id != user.id:  # someone else's looks like none
        raise errors.signup_not_found()
    event = locked_event(session, signup.event_id)
    if signup.appeal_state is not None:
        raise errors.appeal_exists()
    if signup.attendance != Attendance.NO_SHOW:
        raise errors.not_no_show()
    signup.appeal_reason = body.reason.value
    signup.appeal_text = body.text
    signup.appeal_state = AppealState.PENDING.value
    signup.appealed_at = now
    crud.touch(signup, now)
    accounts.record_activity(
        session, user, "event_absence_appealed", target=event.id, request_key=key, now=now
    )
    return signup, event


def decide(
    session: Session,
    user: User,
    event_id: str,
    signup_id: str,
    body: AppealDecision,
    now: datetime,
    key: str | None,
) -> Signed:
    """Staff accept (the absence becomes excused, for the appeal's reason) or decline."""
    event = locked_event(session, event_id)
    require_district(user, event.district)
    signup = crud.get_signup(session, signup_id)
    if signup is None or signup.event_id != event.id:
        raise errors.signup_not_found()
    if signup.appeal_state != AppealState.PENDING:
        raise errors.no_appeal()
    signup.appeal_state = (AppealState.ACCEPTED if body.accept else AppealState.DECLINED).value
    signup.appeal_note = body.note
    signup.appeal_decided_at = now
    if body.accept:
        reason = ExcuseReason(signup.appeal_reason or ExcuseReason.OTHER)
        crud.set_excuse(signup, reason, signup.appeal_text, now, auto=False)
        signup.attendance = Attendance.EXCUSED.value
    else:
        crud.touch(signup, now)
    notify_event(
        session,
        signup.user_id,
        NotificationKind.EVENT_APPEAL_DECIDED,
        event,
        now,
        sms_phone=None,
        accepted=body.accept,
        note=body.note,
    )
    person = session.get(User, signup.user_id)
    if person is not None:
        accounts.record_activity(
            session,
            person,
            "event_appeal_decided",
            target=event.id,
            request_key=key,
            now=now,
            actor=user,
        )
    return signup, event
