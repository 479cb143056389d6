"""What a person may do with their sign-up for an event, by its state and the event's deadlines.

Asked by the event screens with the actions' clock; the server decides in the end, and a late
refusal is spoken (``app.shell``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from services.catalog import Event

SENDING = "sending"  # on rows the server has not confirmed yet; also a sign-up's shown state
SIGNED_UP = frozenset({"confirmed", "waitlisted"})  # what the server said
HOLDING = SIGNED_UP | {SENDING}  # and one not sent yet: it holds (or asks for) a place

GUIDE_LEAD = timedelta(hours=1)  # a guide meets the person this long before the start
TRIP_NOTICE = timedelta(minutes=30)  # and is asked for at least this long before meeting


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
