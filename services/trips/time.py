"""When a trip starts: the clock time a person types, on the day they chose, in Shanghai time.

Times leave this module as aware UTC, as the server stores them (Shanghai time is in
``services.clock``).

A clock time is forgiving of how people type and dictate it: "14:30", "14：30" (a full-width
colon), "1430", "14点30", "14点", "9:05", full-width digits. After NFKC and with spaces removed it
is one or two digits of hour, then at most two separator characters (any that are not digits) and
two digits of minutes, then at most one closing character ("分"). Anything else is refused rather
than guessed: "下午2:30" or "2:30 pm" would otherwise be read as 02:30, and "14点半" as 14:00.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, time, timedelta

from services.clock import SHANGHAI
from services.errors import InputError

EARLIEST_HOUR = 8  # default_start proposes times from 08:00...
LATEST_HOUR = 20  # ...to 20:00, Shanghai time
MORNING_HOUR = 9  # after that, 09:00 on the next morning
DEFAULT_LEAD = timedelta(hours=1)

MIN_LEAD = timedelta(minutes=30)  # the server wants 15; the rest is for an outbox still sending
MAX_AHEAD = timedelta(days=30)  # the server's limit

_SPACES = re.compile(r"\s+")
# hour, a separator and minutes, then at most one closing character: 14:30, 14点30分, 9:05
_HOUR_AND_MINUTES = re.compile(r"([0-9]{1,2})[^0-9]{1,2}([0-9]{2})[^0-9]?")
# digits only: 930, 1430
_RUN_TOGETHER = re.compile(r"([0-9]{1,2})([0-9]{2})")
# an hour alone, with at most one closing character: 14, 14点, 9h
_HOUR_ONLY = re.compile(r"([0-9]{1,2})[^0-9]?")


def _aware(now: datetime) -> datetime:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime")
    return now


def default_start(now: datetime) -> datetime:
    """The time a new trip form proposes, in Shanghai time.

    The first whole hour at least an hour from ``now`` between 08:00 and 20:00 (08:00 when
    asked before dawn); asked in the evening, when that hour would be after 20:00, 09:00 the
    next morning.
    """
    local = _aware(now).astimezone(SHANGHAI)
    soonest = local + DEFAULT_LEAD
    whole = soonest.replace(minute=0, second=0, microsecond=0)
    if whole < soonest:
        whole += timedelta(hours=1)
    if whole.date() > local.date() or whole.hour > LATEST_HOUR:
        return datetime.combine(local.date() + timedelta(days=1), time(MORNING_HOUR), SHANGHAI)
    if whole.hour < EARLIEST_HOUR:
        return whole.replace(hour=EARLIEST_HOUR)
    return whole


def parse_clock(text: str) -> tuple[int, int]:
    """(hour, minute) of a typed clock time, 24-hour. ``InputError("time", ...)`` if unreadable.

    Codes: ``time_empty`` (nothing typed), ``time_invalid`` (anything not a clock time).
    """
    typed = _SPACES.sub("", unicodedata.normalize("NFKC", text))
    if not typed:
        raise InputError("time", "time_empty")
    for pattern in (_HOUR_AND_MINUTES, _RUN_TOGETHER, _HOUR_ONLY):
        found = pattern.fullmatch(typed)
        if found is not None:
            hour = int(found.group(1))
            minute = int(found.group(2)) if pattern.groups == 2 else 0
            if hour <= 23 and minute <= 59:
                return hour, minute
            break
    raise InputError("time", "time_invalid")


def start_at(day: date, text: str, now: datetime) -> datetime:
    """The trip's start as aware UTC, from the day and the clock time typed (Shanghai time).

    ``InputError("time", code)``: ``time_empty`` / ``time_invalid`` (see :func:`parse_clock`),
    ``time_too_soon`` (before ``now`` + 30 minutes), ``time_too_far`` (after ``now`` + 30 days).
    """
    hour, minute = parse_clock(text)
    start = datetime.combine(day, time(hour, minute), SHANGHAI).astimezone(UTC)
    now = _aware(now)
    if start < now + MIN_LEAD:
        raise InputError("time", "time_too_soon")
    if start > now + MAX_AHEAD:
        raise InputError("time", "time_too_far")
    return start


def parse_instant(text: str) -> datetime:
    """A time from the wire (ISO 8601 with an offset, or Z) as an aware datetime.

    The contract always sends an offset; a time without one is read as UTC, the server's zone.
    """
    instant = datetime.fromisoformat(text)
    return instant if instant.tzinfo is not None else instant.replace(tzinfo=UTC)
