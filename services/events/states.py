"""What a person may do with their sign-up for an event, by its state and the event's deadlines.

Asked by the event screens with the actions' clock; the server decides in the end, and a late
refusal is spoken (``app.shell``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from services.catalog import Event
from services.trips.time import parse_instant

SENDING = "sending"  # on rows the server has not confirmed yet; also a sign-up's shown state
SIGNED_UP = frozenset({"confirmed", "waitlisted"})  # what the server said
HOLDING = SIGNED_UP | {SENDING}  # and one not sent yet: it holds (or asks for) a place

GUIDE_LEAD = timedelta(hours=1)  # a guide meets the person this long before the start
TRIP_NOTICE = timedelta(minutes=30)  # and is asked for at least this long before meeting
CHECKIN_OPENS_BEFORE = timedelta(minutes=60)


def signup_open(event: Event, now: datetime) -> bool:
    return now <= event.signup_deadline and now < event.start_at


def _signed_up(signup: Mapping[str, Any]) -> bool:
    return signup.get("state") in SIGNED_UP and not signup.get("checked_in_at")


def can_cancel(event: Event, signup: Mapping[str, Any], now: datetime) -> bool:
    """A confirmed place until the cancel deadline; a waiting-list place until the start."""
    if not _signed_up(signup):
        return False
    if signup["state"] == "confirmed":
        return now <= event.cancel_deadline
    return now < event.start_at


def can_excuse(event: Event, signup: Mapping[str, Any], now: datetime) -> bool:
    """Too late to cancel a confirmed place, but the event is not over: say why I cannot come."""
    return (
        _signed_up(signup)
        and signup["state"] == "confirmed"
        and not can_cancel(event, signup, now)
        and now < event.end_at
    )


def guide_meets_at(event: Event) -> datetime:
    return event.start_at - GUIDE_LEAD


def can_ask_for_guide(event: Event, signup: Mapping[str, Any], now: datetime) -> bool:
    """While signed up without a guide, and there is still time to find one."""
    if signup.get("state") not in SIGNED_UP or signup.get("guide_trip_id"):
        return False
    return guide_meets_at(event) >= now + TRIP_NOTICE


@dataclass(frozen=True)
class CheckinWindow:
    """When check-in is possible: from an hour before the start until the end; ``state`` says
    where the moment asked about falls."""

    opens_at: datetime
    closes_at: datetime
    state: Literal["not_open", "open", "closed"]

    @property
    def is_open(self) -> bool:
        return self.state == "open"


def instant_of(event: Mapping[str, Any] | Event, key: str) -> datetime:
    """An event's ``start_at`` or ``end_at``, from a catalogue Event or a wire dict."""
    value = getattr(event, key) if isinstance(event, Event) else event[key]
    return value if isinstance(value, datetime) else parse_instant(value)


def checkin_window(event: Mapping[str, Any] | Event, now: datetime) -> CheckinWindow:
    """The check-in window of an event (a catalogue Event, or any dict with ``start_at`` and
    ``end_at``: a sign-up, a door list's event) and where ``now`` falls in it."""
    opens = instant_of(event, "start_at") - CHECKIN_OPENS_BEFORE
    closes = instant_of(event, "end_at")
    state: Literal["not_open", "open", "closed"] = (
        "not_open" if now < opens else "closed" if now > closes else "open"
    )
    return CheckinWindow(opens, closes, state)


def can_check_in(event: Event, signup: Mapping[str, Any], now: datetime) -> bool:
    """A confirmed place not checked in yet, while the event's check-in window is open."""
    return (
        signup.get("state") == "confirmed"
        and not signup.get("checked_in_at")
        and checkin_window(event, now).is_open
    )
