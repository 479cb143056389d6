"""Event and sign-up queries and changes. Each takes a Session; the caller owns the transaction.

Sign-ups change under the event's row lock (``get_event(..., for_update=True)``): on SQLite every
writing request already holds the database's write lock (BEGIN IMMEDIATE), and on PostgreSQL
the ``FOR UPDATE`` makes concurrent sign-ups for one event count and insert one at a time, so
the last place is never given twice.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, case, func, select, update
from sqlalchemy.orm import Session

from backend.events.codes import new_personal_code
from backend.events.models import Event, EventSignup, ExcuseReason, SignupState
from backend.events.wire import Counts
from backend.models import User

LIST_LIMIT = 500


def get_event(session: Session, event_id: str, *, for_update: bool = False) -> Event | None:
    """The event as committed now (never a copy cached earlier in the session)."""
    query = select(Event).where(Event.id == event_id).execution_options(populate_existing=True)
    if for_update:
        query = query.with_for_update()
    return session.scalars(query).one_or_none()


def get_signup(session: Session, signup_id: str) -> EventSignup | None:
    query = (
        select(EventSignup)
        .where(EventSignup.id == signup_id)
        .execution_options(populate_existing=True)
    )
    return session.scalars(query).one_or_none()


def signup_of(session: Session, event_id: str, user_id: int) -> EventSignup | None:
    """The person's sign-up for the event (in any state), if they ever signed up."""
    query = (
        select(EventSignup)
        .where(EventSignup.event_id == event_id, EventSignup.user_id == user_id)
        .execution_options(populate_existing=True)
    )
    return session.scalars(query).one_or_none()


def signup_by_code(session: Session, event_id: str, personal_code: str) -> EventSignup | None:
    query = (
        select(EventSignup)
        .where(EventSignup.event_id == event_id, EventSignup.personal_code == personal_code)
        .execution_options(populate_existing=True)
    )
    return session.scalars(query).one_or_none()


def _counted() -> tuple[ColumnElement[int], ...]:
    """Confirmed, waitlisted and checked-in (confirmed) sign-ups, as columns of one query."""
    confirmed = EventSignup.state == SignupState.CONFIRMED.value
    return (
        func.count().filter(confirmed),
        func.count().filter(EventSignup.state == SignupState.WAITLISTED.value),
        func.count().filter(confirmed, EventSignup.checked_in_at.is_not(None)),
    )


def counts(session: Session, event_id: str) -> Counts:
    """The event's counts, in one query."""
    row = session.execute(select(*_counted()).where(EventSignup.event_id == event_id)).one()
    return Counts(confirmed=row[0], waitlisted=row[1], checked_in=row[2])


def counts_and_next_seq(session: Session, event_id: str) -> tuple[Counts, int]:
    """``counts`` and one past the last place in the event's queue, in one query, for a
    sign-up deciding its place (call with the event locked: the fewer queries under the lock,
    the shorter the queue for it)."""
    row = session.execute(
        select(*_counted(), func.max(EventSignup.queue_seq)).where(EventSignup.event_id == event_id)
    ).one()
    return Counts(confirmed=row[0], waitlisted=row[1], checked_in=row[2]), (row[3] or 0) + 1


def unused_personal_code(session: Session, event_id: str) -> str:
    """A fresh 6-digit code no sign-up of this event has (call with the event locked)."""
    while True:
        code = new_personal_code()
        taken = session.scalar(
            select(EventSignup.id).where(
                EventSignup.event_id == event_id, EventSignup.personal_code == code
            )
        )
        if taken is None:
            return code


def first_waitlisted(session: Session, event_id: str) -> EventSignup | None:
    return session.scalars(
        select(EventSignup)
        .where(
            EventSignup.event_id == event_id,
            EventSignup.state == SignupState.WAITLISTED.value,
        )
        .order_by(EventSignup.queue_seq)
        .limit(1)
        .execution_options(populate_existing=True)
    ).first()


def waitlist_positions(session: Session, event_ids: Iterable[str]) -> dict[str, int]:
    """Sign-up id -> 1-based place on its event's wait-list, for every waitlisted sign-up."""
    ids = set(event_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(EventSignup.id, EventSignup.event_id)
        .where(
            EventSignup.event_id.in_(ids),
            EventSignup.state == SignupState.WAITLISTED.value,
        )
        .order_by(EventSignup.event_id, EventSignup.queue_seq)
    ).all()
    positions: dict[str, int] = {}
    counters: dict[str, int] = {}
    for signup_id, event_id in rows:
        counters[event_id] = counters.get(event_id, 0) + 1
        positions[signup_id] = counters[event_id]
    return positions


def events_by_id(session: Session, ids: Iterable[str]) -> dict[str, Event]:
    wanted = set(ids)
    rows = session.scalars(select(Event).where(Event.id.in_(wanted))) if wanted else []
    return {row.id: row for row in rows}


def signups_of_user(session: Session, user_id: int) -> list[tuple[EventSignup, Event]]:
    """All the person's sign-ups (cancelled too) with their events, soonest event first."""
    rows = session.execute(
        select(EventSignup, Event)
        .join(Event, Event.id == EventSignup.event_id)
        .where(EventSignup.user_id == user_id)
        .order_by(Event.start_at, Event.id)
        .limit(LIST_LIMIT)
    ).all()
    return [(signup, event) for signup, event in rows]


def marked_signups_of_user(session: Session, user_id: int) -> list[tuple[EventSignup, Event]]:
    """The person's sign-ups with an attendance, at events already marked; newest first."""
    rows = session.execute(
        select(EventSignup, Event)
        .join(Event, Event.id == EventSignup.event_id)
        .where(
            EventSignup.user_id == user_id,
            EventSignup.attendance.is_not(None),
            Event.marked_at.is_not(None),
        )
        .order_by(Event.start_at.desc(), Event.id)
        .limit(LIST_LIMIT)
    ).all()
    return [(signup, event) for signup, event in rows]


def events_starting_between(session: Session, start: datetime, end: datetime) -> list[Event]:
    return list(
        session.scalars(
            select(Event)
            .where(Event.start_at >= start, Event.start_at < end)
            .order_by(Event.start_at, Event.id)
        )
    )


def live_signups_with_people(
    session: Session, event_ids: Sequence[str]
) -> list[tuple[EventSignup, User]]:
    """Confirmed and waitlisted sign-ups of these events, with the people."""
    if not event_ids:
        return []
    rows = session.execute(
        select(EventSignup, User)
        .join(User, User.id == EventSignup.user_id)
        .where(
            EventSignup.event_id.in_(event_ids),
            EventSignup.state != SignupState.CANCELLED.value,
        )
        .order_by(
            case((EventSignup.state == SignupState.CONFIRMED.value, 0), else_=1),
            EventSignup.queue_seq,
        )
    ).all()
    return [(signup, user) for signup, user in rows]


def confirmed_signups(session: Session, event_id: str) -> list[EventSignup]:
    return list(
        session.scalars(
            select(EventSignup)
            .where(
                EventSignup.event_id == event_id,
                EventSignup.state == SignupState.CONFIRMED.value,
            )
            .order_by(EventSignup.queue_seq)
            .execution_options(populate_existing=True)
        )
    )


# --- the marking sweep -------------------------------------------------------------------------


def _due(now: datetime) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    return (Event.marked_at.is_(None), Event.end_at <= now)


def any_due_for_marking(session: Session, now: datetime) -> bool:
    """Has some event ended without being marked? (A read: no write lock unless there is.)"""
    return session.scalars(select(Event.id).where(*_due(now)).limit(1)).first() is not None


def due_for_marking(session: Session, now: datetime) -> list[str]:
    return list(session.scalars(select(Event.id).where(*_due(now)).order_by(Event.end_at)))


def claim_marking(session: Session, event_id: str, now: datetime) -> bool:
    """Stamp ``marked_at`` unless a concurrent sweep did; True if this one marks the event."""
    result = session.execute(
        update(Event)
        .where(Event.id == event_id, *_due(now))
        .values(marked_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]  # a CursorResult for UPDATE


def touch(signup: EventSignup, now: datetime) -> None:
    """Every change of a sign-up: a new version."""
    signup.updated_at = now
    signup.version += 1


def set_excuse(
    signup: EventSignup, reason: ExcuseReason, note: str | None, now: datetime, *, auto: bool
) -> None:
    """Record an excuse, replacing any earlier one."""
    signup.excuse_reason = reason.value
    signup.excuse_note = note
    signup.excuse_auto = auto
    signup.excused_at = now
    touch(signup, now)
