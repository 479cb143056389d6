"""Creating notifications (in the caller's transaction) and the Chinese texts of their SMS.

Only what a person must not miss while away from the app goes out as SMS too: a volunteer
took the trip (with the code word), gave it back, the trip was cancelled, or nobody took it;
a place at an event came free for them, or they were recorded absent (the text says that this
never stops them signing up, and how to appeal); someone started acting for them (代办), so
that consent given by mistake or under pressure is seen and can be withdrawn.
"""

from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from backend.core.on_behalf import on_behalf
from backend.core.security import mask_phone
from backend.events.models import Event
from backend.models import User
from backend.notify.models import Notification, NotificationKind
from backend.trips.models import Trip

SHANGHAI = timezone(timedelta(hours=8))
LIST_LIMIT = 100
SMS_PREFIX = "【阳光申办】"

_SMS_TEMPLATES: dict[NotificationKind, str] = {
    NotificationKind.TRIP_CLAIMED: (
        "志愿者{volunteer_name}已接单：{when} 从{from_place}到{to_place}，暗号“{code_word}”。"
    ),
    NotificationKind.TRIP_RELEASED: (
        "志愿者无法陪同，已退回订单：{when} 从{from_place}到{to_place}，正在重新等待志愿者接单。"
    ),
    NotificationKind.TRIP_CANCELLED: "您接的出行已被取消：{when} 从{from_place}到{to_place}。",
    NotificationKind.TRIP_EXPIRED: (
        "很抱歉，{when} 从{from_place}到{to_place}的出行到出发时间仍无志愿者接单，已失效。"
    ),
    NotificationKind.EVENT_PROMOTED: (
        "有人取消了报名，您候补的活动“{title}”（{when}）已为您转为正式报名，请按时参加。"
    ),
    NotificationKind.EVENT_NO_SHOW: (
        "活动“{title}”（{when}）未收到您的签到，已记为缺席。这不影响您以后报名活动；"
        "如有原因，可在“我的活动”中提交申诉。"
    ),
}


def sign_in_code_text(code: str, lasts: timedelta) -> str:
    """The text that brings a sign-in code (never stored: only the code's hash is kept)."""
    minutes = int(lasts.total_seconds() // 60)
    return f"{SMS_PREFIX}您的登录验证码是 {code}，{minutes} 分钟内有效。请勿告诉他人。"


def spoken_time(at: datetime) -> str:
    """Shanghai local time as an SMS says it: 11月23日 14:00."""
    local = at.astimezone(SHANGHAI)
    return f"{local.month}月{local.day}日 {local:%H:%M}"


def sms_text(kind: NotificationKind, data: dict[str, Any], start_at: datetime) -> str | None:
    """The SMS for a notification of ``kind``, or None if that kind is not texted."""
    template = _SMS_TEMPLATES.get(kind)
    if template is None:
        return None
    return SMS_PREFIX + template.format(when=spoken_time(start_at), **data)


def trip_facts(trip: Trip) -> dict[str, Any]:
    """When and where: what every trip notification repeats."""
    return {
        "start_at": trip.start_at.isoformat().replace("+00:00", "Z"),  # as TripPublic has it
        "from_place": trip.from_place,
        "to_place": trip.to_place,
    }


def notify_trip(
    session: Session,
    user_id: int,
    kind: NotificationKind,
    trip: Trip,
    now: datetime,
    *,
    sms_phone: str | None,
    **extra: Any,
) -> Notification:
    """A notification about ``trip``; texted to ``sms_phone`` if the kind is texted.

    ``extra`` joins the trip's when-and-where in ``data`` (kinds about the volunteer carry only
    ``volunteer_name``: the requester already knows the trip).
    """
    about_volunteer = kind in (NotificationKind.TRIP_STARTED, NotificationKind.TRIP_COMPLETED)
    data = dict(extra) if about_volunteer else {**extra, **trip_facts(trip)}
    text = sms_text(kind, data, trip.start_at) if sms_phone else None
    return _add(session, user_id, kind, trip.id, data, now, sms_phone if text else None, text)


def event_facts(event: Event) -> dict[str, Any]:
    """Which event and when: what every event notification repeats."""
    return {
        "event_id": event.id,
        "title": event.title,
        "start_at": event.start_at.isoformat().replace("+00:00", "Z"),
    }


def notify_event(
    session: Session,
    user_id: int,
    kind: NotificationKind,
    event: Event,
    now: datetime,
    *,
    sms_phone: str | None,
    **extra: Any,
) -> Notification:
    """A notification about ``event``; texted to ``sms_phone`` if the kind is texted."""
    data = {**extra, **event_facts(event)}
    text = sms_text(kind, data, event.start_at) if sms_phone else None
    return _add(session, user_id, kind, None, data, now, sms_phone if text else None, text)


PROXY_REQUESTED_SMS = (
    "{helper_name}（{helper_phone}）请求代您办理事项。如果是您把同意码告诉了对方，请在{until}前"
    "打开阳光申办的“他人代我办理”确认；如非本人授权，请拒绝。不确认，对方不能代办。"
)


def notify_proxy_requested(
    session: Session,
    resident: User,
    *,
    consent_id: str,
    helper_name: str,
    helper_phone: str,
    until: datetime,
    now: datetime,
) -> Notification:
    """Someone redeemed ``resident``'s code and waits for them to confirm: in the app and by
    SMS (the helper's phone masked), so a guessed code is noticed by its owner at once."""
    data = {"consent_id": consent_id, "helper_name": helper_name}
    text = SMS_PREFIX + PROXY_REQUESTED_SMS.format(
        helper_name=helper_name, helper_phone=mask_phone(helper_phone), until=spoken_time(until)
    )
    return _add(
        session,
        resident.id,
        NotificationKind.PROXY_REQUESTED,
        None,
        data,
        now,
        resident.phone,
        text,
    )


def notify_proxy_confirmed(
    session: Session, helper_id: int, *, consent_id: str, resident_name: str, now: datetime
) -> Notification:
    """The resident confirmed: the helper may act for them now (in the app only)."""
    data = {"consent_id": consent_id, "resident_name": resident_name}
    return _add(session, helper_id, NotificationKind.PROXY_CONFIRMED, None, data, now, None, None)


def notify_user(session: Session, user_id: int, kind: NotificationKind, now: datetime) -> None:
    """A notification about no trip (volunteer_verified)."""
    _add(session, user_id, kind, None, {}, now, None, None)


def _add(
    session: Session,
    user_id: int,
    kind: NotificationKind,
    trip_id: str | None,
    data: dict[str, Any],
    now: datetime,
    sms_phone: str | None,
    text: str | None,
) -> Notification:
    row = Notification(
        user_id=user_id,
        kind=kind.value,
        trip_id=trip_id,
        data=data,
        created_at=now,
        sms_phone=sms_phone,
        sms_text=text,
        sms_attempts=0,
    )
    session.add(row)
    return row


# What a person is told as a volunteer, or as someone who acts for others: a helper acting for
# them never sees these (nor whom they act for).
_NOT_FOR_HELPERS = (
    NotificationKind.VOLUNTEER_VERIFIED.value,
    NotificationKind.PROXY_CONFIRMED.value,
)


def list_for(session: Session, user_id: int) -> list[Notification]:
    """My notifications, newest first. For a helper acting for me, only those about me as a
    resident: none about trips I guide (the resident's name, phone, code word, route)."""
    query = select(Notification).where(Notification.user_id == user_id)
    if on_behalf(session):
        mine = select(Trip.id).where(Trip.requester_id == user_id)
        query = query.where(
            or_(Notification.trip_id.is_(None), Notification.trip_id.in_(mine)),
            Notification.kind.not_in(_NOT_FOR_HELPERS),
        )
    return list(session.scalars(query.order_by(Notification.id.desc()).limit(LIST_LIMIT)))


def mark_read(session: Session, user_id: int, up_to_id: int, now: datetime) -> int:
    """Mark mine with id <= ``up_to_id`` read; returns how many of mine are still unread."""
    session.execute(
        update(Notification)
        .where(
            Notification.user_id == user_id,
            Notification.id <= up_to_id,
            Notification.read_at.is_(None),
        )
        .values(read_at=now)
        .execution_options(synchronize_session=False)
    )
    return (
        session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        )
        or 0
    )
