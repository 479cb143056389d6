"""When a trip starts (services/trips/time.py): typed clock times, Shanghai days, the server's window.

Shanghai is UTC+8 all year, so 14:30 there is 06:30 UTC on the same day; a time is refused, with a
reason, rather than guessed when it could mean something else ("下午2:30" is not 02:30).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from services.clock import SHANGHAI
from services.errors import InputError
from services.trips.time import (
    MAX_AHEAD,
    MIN_LEAD,
    default_start,
    parse_clock,
    parse_instant,
    start_at,
)

FULL_WIDTH = str.maketrans("0123456789:", "０１２３４５６７８９：")


def shanghai(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


def refusal(call, *args) -> tuple[str, str]:
    with pytest.raises(InputError) as caught:
        call(*args)
    return caught.value.field, caught.value.code


# -- clock times as people type and dictate them -----------------------------------------------


@pytest.mark.parametrize(
    ("typed", "clock"),
    [
        ("14:30", (14, 30)),
        ("14：30", (14, 30)),  # full-width colon from a Chinese IME
        ("1430", (14, 30)),
        ("930", (9, 30)),
        ("0930", (9, 30)),
        ("14点30", (14, 30)),
        ("14点30分", (14, 30)),
        ("14时30分", (14, 30)),
        ("14点", (14, 0)),
        ("14", (14, 0)),
        ("9", (9, 0)),
        ("9:05", (9, 5)),
        ("09:05", (9, 5)),
        ("0:00", (0, 0)),
        ("23:59", (23, 59)),
        ("14.30", (14, 30)),
        ("14h30", (14, 30)),
        (" 14 : 30 ", (14, 30)),
        ("14 30", (14, 30)),
        ("１４：３０", (14, 30)),  # full-width digits
        ("14:30".translate(FULL_WIDTH), (14, 30)),
        ("\u300014:30\u3000", (14, 30)),  # ideographic spaces
    ],
)
def test_clock_times_people_type_are_read(typed: str, clock: tuple[int, int]):
    assert parse_clock(typed) == clock


@pytest.mark.parametrize("typed", ["", "   ", "\u3000", "\t\n"])
def test_nothing_typed_is_time_empty(typed: str):
    assert refusal(parse_clock, typed) == ("time", "time_empty")


@pytest.mark.parametrize(
    "typed",
    [
        "24:00",
        "25",
        "14:60",
        "2460",
        "14:5",  # one minute digit: 14:05 or 14:50?
        "12345",
        "14:30:00",
        "abc",
        "点",
        ":30",
        "下午2:30",  # afternoon: not 02:30
        "2:30 pm",
        "2:30pm",
        "14点半",  # half past: not 14:00
        "14点30分钟",
        "١٤:٣٠",  # Arabic-Indic digits
        "1-4:30",
    ],
)
def test_anything_else_is_time_invalid_rather_than_guessed(typed: str):
    assert refusal(parse_clock, typed) == ("time", "time_invalid")


# -- the start time: a Shanghai day and clock, sent as UTC -------------------------------------


def test_start_at_is_the_shanghai_time_as_aware_utc():
    now = shanghai(20, 10).astimezone(UTC)
    start = start_at(date(2026, 11, 23), "14:30", now)
    assert start == datetime(2026, 11, 23, 6, 30, tzinfo=UTC)
    assert start.tzinfo is UTC


def test_an_early_morning_start_is_the_previous_day_in_utc():
    now = shanghai(20, 10)
    assert start_at(date(2026, 11, 23), "7:00", now) == datetime(2026, 11, 22, 23, 0, tzinfo=UTC)


def test_the_window_is_thirty_minutes_to_thirty_days():
    now = shanghai(20, 10)
    assert (timedelta(minutes=30), timedelta(days=30)) == (MIN_LEAD, MAX_AHEAD)
    assert start_at(date(2026, 11, 20), "10:30", now) == now + MIN_LEAD  # just in time
    assert refusal(start_at, date(2026, 11, 20), "10:29", now) == ("time", "time_too_soon")
    assert refusal(start_at, date(2026, 11, 20), "9:00", now) == ("time", "time_too_soon")
    assert refusal(start_at, date(2026, 11, 19), "14:00", now) == ("time", "time_too_soon")
    assert start_at(date(2026, 12, 20), "10:00", now) == now + MAX_AHEAD  # the last minute
    assert refusal(start_at, date(2026, 12, 20), "10:01", now) == ("time", "time_too_far")
    assert refusal(start_at, date(2027, 1, 5), "10:00", now) == ("time", "time_too_far")


def test_the_window_does_not_depend_on_the_zone_now_is_given_in():
    now = shanghai(20, 10)
    for same_moment in (now, now.astimezone(UTC), now.astimezone(SHANGHAI)):
        assert start_at(date(2026, 11, 20), "11:00", same_moment) == shanghai(20, 11)


def test_a_bad_clock_is_reported_before_the_window():
    now = shanghai(20, 10)
    assert refusal(start_at, date(2020, 1, 1), "", now) == ("time", "time_empty")
    assert refusal(start_at, date(2020, 1, 1), "99:99", now) == ("time", "time_invalid")


def test_a_naive_now_is_a_programming_error():
    with pytest.raises(ValueError, match="aware"):
        start_at(date(2026, 11, 23), "14:30", datetime(2026, 11, 20, 10, 0))
    with pytest.raises(ValueError, match="aware"):
        default_start(datetime(2026, 11, 20, 10, 0))


# -- the time a new request proposes --------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "proposed"),
    [
        (shanghai(20, 10), shanghai(20, 11)),  # on the hour: an hour later
        (shanghai(20, 10, 1), shanghai(20, 12)),  # just after: the next whole hour after that
        (shanghai(20, 10, 59), shanghai(20, 12)),
        (shanghai(20, 7), shanghai(20, 8)),  # 08:00 is the first offered
        (shanghai(20, 6, 30), shanghai(20, 8)),
        (shanghai(20, 6), shanghai(20, 8)),  # before dawn: 08:00 the same morning
        (shanghai(20, 0, 5), shanghai(20, 8)),
        (shanghai(20, 19), shanghai(20, 20)),  # 20:00 is the last offered
        (shanghai(20, 19, 1), shanghai(21, 9)),  # later: 09:00 the next morning
        (shanghai(20, 22, 59), shanghai(21, 9)),
        (shanghai(20, 23, 30), shanghai(21, 9)),  # past midnight is still the evening's
        (shanghai(21, 0, 0), shanghai(21, 8)),  # a new day: before dawn
        (shanghai(30, 22, month=11), shanghai(1, 9, month=12)),  # across a month end
    ],
)
def test_default_start(now: datetime, proposed: datetime):
    for same_moment in (now, now.astimezone(UTC)):
        start = default_start(same_moment)
        assert start == proposed
        assert start.utcoffset() == timedelta(hours=8)  # in Shanghai time, for the form


def test_the_default_start_is_always_accepted():
    now = datetime(2026, 11, 20, 0, 0, tzinfo=UTC)
    for minutes in range(0, 48 * 60, 7):
        moment = now + timedelta(minutes=minutes)
        proposed = default_start(moment)
        assert 8 <= proposed.hour <= 20 and proposed.minute == 0
        assert proposed - moment >= timedelta(hours=1)
        typed = proposed.strftime("%H:%M")
        assert start_at(proposed.date(), typed, moment) == proposed


def test_wire_times_are_read_as_aware():
    assert parse_instant("2026-11-23T06:00:00Z") == datetime(2026, 11, 23, 6, tzinfo=UTC)
    assert parse_instant("2026-11-23T14:00:00+08:00") == datetime(2026, 11, 23, 6, tzinfo=UTC)
    assert parse_instant("2026-11-23T06:00:00") == datetime(2026, 11, 23, 6, tzinfo=UTC)
