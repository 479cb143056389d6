"""Volunteer registration and verification, in the caller's transaction.

Verification is what lets a volunteer see and claim trips: it sets the row's status, adds the
``volunteer`` role to the account (a new version of /me) and tells the person.
"""

from datetime import datetime

from sqlalchemy.orm import Session

from backend import crud
from backend.core.problems import ProblemError
from backend.core.security import mask_id_number
from backend.models import Role, User
from backend.notify.models import NotificationKind
from backend.notify.notifications import notify_user
from backend.trips.models import Volunteer, VolunteerStatus, skills_mask
from backend.trips.wire import VolunteerPublic, VolunteerRegistration


def get_volunteer(session: Session, user_id: int) -> Volunteer | None:
    return session.get(Volunteer, user_id, populate_existing=True)


def suspended() -> ProblemError:
    return ProblemError(
        403,
        "volunteer_suspended",
        "Volunteer suspended",
        "Staff have suspended your volunteer registration; you cannot take or start trips.",
    )


def verified_volunteer(session: Session, user: User) -> Volunteer:
    """The caller's verified registration; ``403 volunteer_suspended`` or
    ``volunteer_not_verified`` otherwise."""
    volunteer = get_volunteer(session, user.id)
    if volunteer is not None and volunteer.status == VolunteerStatus.SUSPENDED:
        raise suspended()
    if volunteer is None or not volunteer.verified:
        raise ProblemError(
            403,
            "volunteer_not_verified",
            "Verified volunteers only",
            "Only volunteers whose registration has been verified can see and take trips.",
        )
    return volunteer


def register(
    session: Session,
    user: User,
    form: VolunteerRegistration,
    now: datetime,
    *,
    auto_verify: bool,
    request_key: str | None,
) -> Volunteer:
    """Register the caller (``409 volunteer_exists`` if they are); verified at once if asked."""
    if get_volunteer(session, user.id) is not None:
        raise ProblemError(
            409, "volunteer_exists", "Already registered", "You are registered as a volunteer."
        )
    volunteer = Volunteer(
        user_id=user.id,
        real_name=form.real_name,
        id_number=form.id_number,
        phone=form.phone,
        skills=[s.value for s in form.skills],
        skills_mask=skills_mask(form.skills),
        districts=list(form.districts),
        availability=[a.value for a in form.availability],
        status=VolunteerStatus.PENDING.value,
        created_at=now,
    )
    session.add(volunteer)
    crud.record_activity(
        session, user, "volunteer_registered", target=None, request_key=request_key, now=now
    )
    if auto_verify:
        verify(session, volunteer, user, now, by=None, request_key=request_key)
    session.flush()
    return volunteer


def verify(
    session: Session,
    volunteer: Volunteer,
    user: User,
    now: datetime,
    *,
    by: User | None,
    request_key: str | None,
) -> bool:
    """Verify a registration (``by`` staff, or None when automatic); False if it already was.
    A suspended registration is verified again only through ``reinstate``.

    Staff acting shows in the volunteer's own activity as done for them by that staff member.
    """
    if volunteer.status != VolunteerStatus.PENDING:
        return False
    volunteer.status = VolunteerStatus.VERIFIED.value
    volunteer.verified_at = now
    volunteer.verified_by = by.id if by is not None else None
    if Role.VOLUNTEER.value not in user.roles:
        user.roles = [*user.roles, Role.VOLUNTEER.value]  # a new list: the JSON column sees it
    user.version += 1
    notify_user(session, user.id, NotificationKind.VOLUNTEER_VERIFIED, now)
    if by is not None:
        crud.record_activity(
            session,
            user,
            "volunteer_verified",
            target=None,
            request_key=request_key,
            now=now,
            actor=by,
        )
    return True


def suspend(
    session: Session,
    volunteer: Volunteer,
    user: User,
    now: datetime,
    *,
    by: User,
    reason: str,
    request_key: str | None,
) -> None:
    """Suspend a verified volunteer (or change the reason of a suspension): no more claims or
    starts; trips already held can still be completed or released."""
    volunteer.status = VolunteerStatus.SUSPENDED.value
    volunteer.suspended_at = now
    volunteer.suspended_by = by.id
    volunteer.suspended_reason = reason
    user.version += 1
    crud.record_activity(
        session,
        user,
        "volunteer_suspended",
        target=None,
        request_key=request_key,
        now=now,
        actor=by,
    )


def reinstate(
    session: Session,
    volunteer: Volunteer,
    user: User,
    now: datetime,
    *,
    by: User,
    request_key: str | None,
) -> None:
    """A suspended volunteer is verified again, by ``by``."""
    volunteer.status = VolunteerStatus.VERIFIED.value
    volunteer.verified_at = now
    volunteer.verified_by = by.id
    volunteer.suspended_at = volunteer.suspended_by = volunteer.suspended_reason = None
    user.version += 1
    crud.record_activity(
        session,
        user,
        "volunteer_reinstated",
        target=None,
        request_key=request_key,
        now=now,
        actor=by,
    )


def public(volunteer: Volunteer) -> VolunteerPublic:
    return VolunteerPublic(
        user_id=volunteer.user_id,
        real_name=volunteer.real_name,
        id_number=mask_id_number(volunteer.id_number) or "",
        phone=volunteer.phone,
        skills=volunteer.skills,  # type: ignore[arg-type]  # validated on the way in
        districts=volunteer.districts,
        availability=volunteer.availability,  # type: ignore[arg-type]
        status=VolunteerStatus(volunteer.status),
        created_at=volunteer.created_at,
        verified_at=volunteer.verified_at,
        suspended_reason=volunteer.suspended_reason,
    )
