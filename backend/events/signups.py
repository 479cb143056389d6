"""Signing up, cancelling (which promotes the first waitlisted person) and recording an excuse.

Each runs in the caller's write transaction with the event's row locked, so the count of
confirmed places and the insert that depends on it are one step: of 200 people asking for 50
places at once, exactly 50 are confirmed and the rest wait in the order they were served.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from backend import crud as accounts
from backend.events import crud, errors
from backend.events.models import Event, EventSignup, ExcuseReason, SignupState
from backend.events.publish import publish
from backend.events.wire import Counts, ExcuseRequest
from backend.models import User
from backend.notify.models import NotificationKind
from backend.notify.notifications import notify_event
from backend.trips import actions as trip_actions
from backend.trips import crud as trips
from backend.trips.states import TripAction, TripState

Signed = tuple[EventSignup, Event]
CANCELLABLE_TRIP = frozenset({TripState.OPEN.value, TripState.CLAIMED.value})


def _log(
    session: Session, user: User, action: str, event: Event, key: str | None, now: datetime
) -> None:
    accounts.record_activity(session, user, action, target=event.id, request_key=key, now=now)


def locked_event(session: Session, event_id: str) -> Event:
    event = crud.get_event(session, event_id, for_update=True)
    if event is None:
        raise errors.event_not_found()
    return event


def _mine(session: Session, user: User, event: Event) -> EventSignup:
    signup = crud.signup_of(session, event.id, user.id)
    if signup is None:
        raise errors.not_signed_up()
    return signup


# --- signing up --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignedUp:
    """A sign-up after ``sign_up``: ``new`` if this call made it (or made it again after a
    cancel); ``position`` on the wait-list when it waits and was just made (the end of the
    queue, so known without asking), None otherwise."""

    signup: EventSignup
    event: Event
    new: bool
    position: int | None = None


@dataclass(frozen=True)
class SignupAsk:
    """One person asking for a place, as ``SignupsTogether.sign_up`` takes it."""

    user: User
    signup_id: str
    now: datetime
    key: str | None


class _Places:
    """The locked event's counts and the next place in its queue: asked for once per
    transaction, then kept up to date by the sign-ups made in it."""

    def __init__(self, session: Session, event: Event) -> None:
        self._session, self._event = session, event
        self._counts: Counts | None = None
        self._next_seq = 0
        self.changed = False  # someone joined: the event's published counts are out of date

    @property
    def counts(self) -> Counts:
        if self._counts is None:
            self._counts, self._next_seq = crud.counts_and_next_seq(self._session, self._event.id)
        return self._counts

    def join(self) -> tuple[SignupState, int]:
        """A place for one more: confirmed while places are left, else waitlisted."""
        before = self.counts
        confirmed = before.confirmed < self._event.capacity
        self._counts = before.model_copy(
            update={
                "confirmed": before.confirmed + confirmed,
                "waitlisted": before.waitlisted + (not confirmed),
            }
        )
        self._next_seq += 1
        self.changed = True
        state = SignupState.CONFIRMED if confirmed else SignupState.WAITLISTED
        return state, self._next_seq - 1


def sign_up(
    session: Session, user: User, event_id: str, signup_id: str, now: datetime, key: str | None
) -> SignedUp:
    """Confirmed while places are left, else waitlisted.

    Already signed up (a retry with a new key, another device): the same sign-up, unchanged.
    Signing up again after cancelling reactivates the row at the end of the queue.
    """
    together = SignupsTogether(session, event_id)
    done = together.sign_up(SignupAsk(user, signup_id, now, key))
    together.publish()
    return done


class SignupsTogether:
    """Several people's sign-ups for one event in one transaction (group commit,
    ``backend.core.group_commit``): the event is locked (raises if there is none), counted
    and, at ``publish``, published once for all of them; each ``sign_up`` is decided in turn
    exactly as if it came alone."""

    def __init__(self, session: Session, event_id: str) -> None:
        self._session = session
        self._event = locked_event(session, event_id)
        self._places = _Places(session, self._event)

    def sign_up(self, ask: SignupAsk) -> SignedUp:
        """One person's sign-up; a refusal (sign-up closed) is raised before any change."""
        return _sign_up_one(self._session, self._event, self._places, ask)

    def publish(self) -> None:
        """The event's new counts into the catalogue, if anyone joined (call once, last)."""
        if self._places.changed:
            publish(self._session, self._event, self._places.counts)


def _sign_up_one(session: Session, event: Event, places: _Places, ask: SignupAsk) -> SignedUp:
    """One sign-up with the event locked. Refuses before it changes anything."""
    user, now = ask.user, ask.now
    signup = crud.signup_of(session, event.id, user.id)
    if signup is not None and signup.state != SignupState.CANCELLED:
        return SignedUp(signup, event, new=False)
    if now > event.signup_deadline or now >= event.start_at:
        raise errors.signup_closed()
    state, queue_seq = places.join()
    if signup is None:
        signup_id = ask.signup_id
        if crud.get_signup(session, signup_id) is not None:  # someone else's id: not theirs
            signup_id = str(uuid.uuid4())
        signup = EventSignup(
            id=signup_id,
            event_id=event.id,
            user_id=user.id,
            personal_code=crud.unused_personal_code(session, event.id),
            created_at=now,
            version=0,
            excuse_auto=False,
        )
        session.add(signup)
    _restart(signup, state, queue_seq)
    crud.touch(signup, now)
    _log(session, user, "event_signed_up", event, ask.key, now)
    waits = state == SignupState.WAITLISTED
    return SignedUp(signup, event, new=True, position=places.counts.waitlisted if waits else None)


def _restart(signup: EventSignup, state: SignupState, queue_seq: int) -> None:
    """A fresh place in the queue: nothing of an earlier, cancelled sign-up carries over."""
    signup.state = state.value
    signup.queue_seq = queue_seq
    for field in (
        "checked_in_at",
        "checked_in_by",
        "attendance",
        "excuse_reason",
        "excuse_note",
        "excused_at",
        "appeal_reason",
        "appeal_text",
        "appeal_state",
        "appeal_note",
        "appealed_at",
        "appeal_decided_at",
        "guide_trip_id",
    ):
        setattr(signup, field, None)
    signup.excuse_auto = False


# --- cancelling --------------------------------------------------------------------------------


def cancel(session: Session, user: User, event_id: str, now: datetime, key: str | None) -> Signed:
    """Give the place (or the wait) back; a freed place goes to the first waitlisted person.

    A confirmed place can be given back until the cancellation deadline (and not once checked
    in); a wait until the start. A guide trip still open or claimed for it is cancelled too.
    """
    event = locked_event(session, event_id)
    signup = _mine(session, user, event)
    if signup.state == SignupState.CANCELLED:
        return signup, event
    was_confirmed = signup.state == SignupState.CONFIRMED
    if was_confirmed and (now > event.cancel_deadline or signup.checked_in_at is not None):
        raise errors.cancel_closed()
    if not was_confirmed and now >= event.start_at:
        raise errors.cancel_closed()
    signup.state = SignupState.CANCELLED.value
    crud.touch(signup, now)
    session.flush()
    if was_confirmed:
        promote(session, event, now)
    _cancel_guide_trip(session, user, signup, now, key)
    _log(session, user, "event_signup_cancelled", event, key, now)
    publish(session, event)
    return signup, event


def promote(session: Session, event: Event, now: datetime) -> EventSignup | None:
    """Give a free place to the first waitlisted person, and tell them (SMS too)."""
    if crud.counts(session, event.id).confirmed >= event.capacity:
        return None
    first = crud.first_waitlisted(session, event.id)
    if first is None:
        return None
    first.state = SignupState.CONFIRMED.value
    crud.touch(first, now)
    person = session.get(User, first.user_id)
    notify_event(
        session,
        first.user_id,
        NotificationKind.EVENT_PROMOTED,
        event,
        now,
        sms_phone=person.phone if person is not None else None,
    )
    session.flush()
    return first


def _cancel_guide_trip(
    session: Session, user: User, signup: EventSignup, now: datetime, key: str | None
) -> None:
    """The trip to an event no longer attended goes too, as if the resident cancelled it (so
    the volunteer on it is told)."""
    if signup.guide_trip_id is None:
        return
    trip = trips.get_trip(session, signup.guide_trip_id)
    if trip is not None and trip.requester_id == user.id and trip.state in CANCELLABLE_TRIP:
        trip_actions.act(session, user, trip.id, TripAction.CANCEL, now, key)


# --- excuses -----------------------------------------------------------------------------------


def excuse(
    session: Session, user: User, event_id: str, body: ExcuseRequest, now: datetime, key: str | None
) -> Signed:
    """Record why the person cannot come (replacing an earlier excuse), until the event ends."""
    event = locked_event(session, event_id)
    signup = _mine(session, user, event)
    if signup.state == SignupState.CANCELLED:
        raise errors.signup_cancelled()
    if now >= event.end_at:
        raise errors.excuse_closed()
    crud.set_excuse(signup, ExcuseReason(body.reason), body.note, now, auto=False)
    _log(session, user, "event_excuse_recorded", event, key, now)
    return signup, event
