"""Every day and time the app shows or sends is Shanghai's, whatever zone the device is in.

Each test runs with the process's zone set to UTC and to a far zone (Honolulu, UTC-10), at an
instant between 00:00 and 08:00 in Shanghai, when the device's date is still yesterday there.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest
from control_tree import find, screen_actions, texts

from app.features import notification_sentence
from app.i18n import format_day, set_language
from app.inbox.actions import InboxActions
from app.routes import resolve
from app.state import AppState
from app.time_words import clock_words, when_words
from app.trips.actions import TripActions
from app.trips.forms import TripForm
from services.clock import SHANGHAI, StartedClock, shanghai_day
from services.config import ClientSettings
from services.personal import PersonalView
from views.inbox.screen import inbox_view
from views.trips.new import trip_new_view

# 07:55 on Wednesday 2 December in Shanghai; still 1 December in UTC and in Honolulu.
EARLY = datetime(2026, 12, 1, 23, 55, tzinfo=UTC)
ME = {"id": 1, "name": "张阿姨", "phone": "13800000001", "facts": {"district": "310101"}}


@pytest.fixture(params=["UTC", "Pacific/Honolulu"], autouse=True)
def device_zone(request: pytest.FixtureRequest) -> Iterator[str]:
    before = os.environ.get("TZ")
    os.environ["TZ"] = request.param
    time.tzset()
    yield request.param
    if before is None:
        os.environ.pop("TZ")
    else:
        os.environ["TZ"] = before
    time.tzset()


pytestmark = pytest.mark.usefixtures("chinese")


def test_the_device_zone_really_is_another_day() -> None:
    """The premise: at EARLY the device's own calendar says 1 December."""
    assert EARLY.astimezone().date() == date(2026, 12, 1)
    assert shanghai_day(EARLY) == date(2026, 12, 2)


def trip_screen(heard: list[str] | None = None) -> tuple[TripActions, object]:
    state = AppState(signed_in=True, personal=PersonalView(me=ME))
    trips = TripActions(
        state,
        SimpleNamespace(clock=lambda: EARLY),
        (heard if heard is not None else []).append,
        lambda: None,
        lambda _r: None,
        lambda _t: None,
    )
    actions = screen_actions(trips=trips, now=lambda: EARLY)
    route, _ = resolve("/trips/new")
    return trips, trip_new_view("/trips/new", route, state, actions)


def test_day_buttons_name_shanghai_days_and_tomorrow_books_tomorrow() -> None:
    trips, screen = trip_screen()
    assert texts(find(screen, "trip-day-0")) == "今天（12月2日周三），已选"  # the default
    assert texts(find(screen, "trip-day-1")) == "明天（12月3日周四）"
    assert trips.request_form().day == date(2026, 12, 2)  # the default: 09:00 today

    find(screen, "trip-day-1").content.on_click(None)

    start, error = trips.chosen_start()
    assert error is None
    assert start == datetime(2026, 12, 3, 9, 0, tzinfo=SHANGHAI)
    assert trips.request_form().draft().day == date(2026, 12, 3)


def test_the_form_says_the_chosen_day_in_shanghai_words() -> None:
    _trips, screen = trip_screen()
    assert "出发时间：今天（12月2日周三）上午9:00。" in texts(screen)


def test_the_chosen_day_and_time_are_said_as_they_change() -> None:
    """Announced, since Orca does not read the live region's new text (issue 16, item 12);
    leaving the time field without a change says nothing again."""
    heard: list[str] = []
    trips, screen = trip_screen(heard)
    find(screen, "trip-day-1").content.on_click(None)
    assert heard == ["出发时间：明天（12月3日周四）上午9:00。"]
    trips.shift_time(1)
    assert heard[-1] == "出发时间：明天（12月3日周四）上午9:30。"
    trips.time_typed()  # Tab passes through the time field
    assert len(heard) == 2
    trips.type_into("time_text", "14:30")
    trips.time_typed()
    assert heard[-1] == "出发时间：明天（12月3日周四）下午2:30。"
    trips.type_into("time_text", "25:00")
    trips.time_typed()
    assert len(heard) == 4 and "出发时间" not in heard[-1]  # why the time cannot be used


def test_a_new_form_without_a_clock_starts_on_shanghai_today() -> None:
    today = shanghai_day(datetime.now(UTC))
    assert TripForm().day == today
    assert TripForm.for_person(ME, EARLY).day == date(2026, 12, 2)


def test_dates_of_timestamps_are_shanghai_days() -> None:
    assert format_day("2026-12-01T23:30:00+00:00") == "2026年12月2日"
    assert format_day("2026-12-01T23:30:00Z") == "2026年12月2日"
    assert format_day("2026-03-14") == "2026年3月14日"  # a plain date stays that date


def test_a_push_sent_at_dawn_in_shanghai_says_that_day() -> None:
    item = {
        "id": 7,
        "policy_id": "pol-x",
        "title": "示例政策",
        "summary": "说明",
        "created_at": "2026-12-01T22:10:00+00:00",
        "reply": None,
    }
    state = AppState(signed_in=True, personal=PersonalView(me=ME, inbox=[item]))
    inbox = InboxActions(state, SimpleNamespace(clock=lambda: EARLY), lambda _m: None, lambda: None)
    actions = screen_actions(inbox=inbox, now=lambda: EARLY)
    route, _ = resolve("/inbox")
    screen = inbox_view("/inbox", route, state, SimpleNamespace(get=lambda _i: None), actions)
    assert "推送于2026年12月2日。" in texts(screen)


def test_relative_days_and_notifications_use_shanghai_days() -> None:
    tomorrow_nine = datetime(2026, 12, 3, 9, 0, tzinfo=SHANGHAI)
    assert when_words(tomorrow_nine, EARLY) == "明天（12月3日周四）上午9:00"
    claimed = {
        "kind": "trip_claimed",
        "data": {
            "start_at": tomorrow_nine.astimezone(UTC).isoformat(),
            "from_place": "家",
            "to_place": "医院",
            "volunteer_name": "李志愿",
            "code_word": "月亮",
        },
    }
    assert notification_sentence(claimed, EARLY).startswith(
        "李志愿 将为您引路：明天（12月3日周四）上午9:00"
    )


@pytest.mark.parametrize(
    ("hour", "minute", "zh", "en"),
    [
        (12, 0, "中午12:00", "12:00 PM"),
        (12, 30, "中午12:30", "12:30 PM"),
        (14, 30, "下午2:30", "2:30 PM"),
        (9, 0, "上午9:00", "9:00 AM"),
        (20, 0, "晚上8:00", "8:00 PM"),
    ],
)
def test_clock_words_name_the_part_of_the_day(hour: int, minute: int, zh: str, en: str) -> None:
    moment = datetime(2026, 12, 2, hour, minute, tzinfo=SHANGHAI)
    assert clock_words(moment) == zh
    set_language("en")
    assert clock_words(moment) == en


def test_started_clock_begins_at_its_instant_and_runs_on() -> None:
    ticks = iter([100.0, 100.0, 161.5])
    clock = StartedClock(EARLY, monotonic=lambda: next(ticks))
    assert clock() == EARLY
    assert clock() == EARLY + timedelta(seconds=61.5)


def test_a_test_clock_is_refused_in_production() -> None:
    with pytest.raises(ValueError, match="SUNSHINE_TEST_NOW"):
        ClientSettings(env="production", test_now=EARLY)
    assert ClientSettings(env="dev", test_now=EARLY).test_now == EARLY
