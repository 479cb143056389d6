"""Event sentences (app/events/messages.py) and the guide-to-an-event form, in both languages."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from app.events.messages import (
    KIND_SUBJECTS,
    PROBLEM_SENTENCES,
    attendee_line,
    door_count_sentence,
    event_input_sentence,
    event_notification_sentence,
    event_rejection_sentence,
    event_title,
    excuse_sentence,
    places_sentence,
    signup_sentence,
    venue_sentence,
)
from app.features import notification_sentence
from app.i18n import set_language
from app.trips.forms import TripForm
from services.clock import SHANGHAI
from services.errors import InputError
from services.sync.outbox import Rejection

# Sunday 22 November 2026, 10:15 in Shanghai
NOW = datetime(2026, 11, 22, 10, 15, tzinfo=SHANGHAI).astimezone(UTC)
START = datetime(2026, 11, 23, 14, 0, tzinfo=SHANGHAI)
EVENT = {
    "id": "evt-1",
    "title": "读书会",
    "room": "二楼",
    "start_at": START,
    "end_at": START + timedelta(hours=2),
    "capacity": 30,
    "places_left": 3,
    "waitlisted": 0,
}


pytestmark = pytest.mark.usefixtures("english")


def test_an_event_is_named_with_its_day_and_both_times() -> None:
    assert event_title(EVENT, NOW) == "读书会, Tomorrow (Mon, Nov 23) 2:00 PM to 4:00 PM"
    overnight = {**EVENT, "end_at": START + timedelta(hours=12)}
    assert event_title(overnight, NOW).endswith("to The day after tomorrow (Tue, Nov 24) 2:00 AM")
    set_language("zh_CN")
    assert event_title(EVENT, NOW) == "读书会，明天（11月23日周一）下午2:00至下午4:00"


def test_places_left_then_the_waiting_list_when_full() -> None:
    assert places_sentence(EVENT) == "3 places left of 30."
    assert places_sentence({**EVENT, "places_left": 1}) == "1 place left of 30."
    full = {**EVENT, "places_left": 0, "waitlisted": 2}
    assert places_sentence(full).startswith("Full: 2 people are on the waiting list.")
    set_language("zh_CN")
    assert places_sentence(EVENT) == "剩余 3 个名额，共 30 个。"


def test_the_place_joins_what_is_known_of_it() -> None:
    venue = {"name": "徐汇助残中心", "address": "示例路 1 号"}
    assert venue_sentence(EVENT, venue) == "Place: 徐汇助残中心, 二楼, 示例路 1 号"
    assert venue_sentence({**EVENT, "room": ""}, None) == "The place is not saved yet."


@pytest.mark.parametrize(
    ("signup", "said"),
    [
        (None, "You have not signed up."),
        ({"state": "confirmed"}, "You have a place."),
        ({"state": "waitlisted", "waitlist_position": 4}, "You are number 4 on the waiting list."),
        ({"state": "sending", "sending": True}, "Your sign-up is saved on this device"),
        ({"state": "cancelled"}, "You cancelled your sign-up."),
    ],
)
def test_where_i_stand(signup, said) -> None:
    assert signup_sentence(signup).startswith(said)


def test_an_automatic_excuse_says_so() -> None:
    excuse = {"reason": "escort_failed", "auto": True}
    assert excuse_sentence({"excuse": excuse}) == "Excused automatically: My guide could not come."
    assert excuse_sentence({"excuse": {"reason": "health", "auto": False}}) == (
        "Your excuse is recorded: I am unwell."
    )


def test_the_door_list_reads_name_phone_tail_and_standing() -> None:
    row = {"name": "陈先生", "phone_tail": "0003", "state": "waitlisted", "waitlist_position": 1}
    assert attendee_line(row) == "陈先生 (phone ending 0003): waiting list number 1"
    assert door_count_sentence({"checked_in": 12, "confirmed": 30}) == "12 of 30 checked in."


def test_every_device_and_server_code_has_a_sentence() -> None:
    for code in PROBLEM_SENTENCES:
        assert event_input_sentence(InputError("event", code))
    too_long = InputError("text", "appeal_text_too_long", limit=500, typed=612)
    assert event_input_sentence(too_long) == (
        "“Your appeal” is too long: at most 500 characters; you typed 612."
    )
    assert event_input_sentence(InputError("phone", "phone_invalid")) is None


def test_a_refused_action_says_what_and_why() -> None:
    for kind in KIND_SUBJECTS:
        assert event_rejection_sentence(Rejection(id="x", kind=kind, payload={}, code="x"))
    said = event_rejection_sentence(
        Rejection(id="x", kind="event_signup", payload={}, code="signup_closed")
    )
    assert said == "Your sign-up was not accepted. Sign-up for this event has closed."
    assert event_rejection_sentence(Rejection(id="x", kind="trip_claim", payload={}, code="x")) is (
        None
    )


def test_event_messages_are_worded_through_the_shared_message_list() -> None:
    data = {"event_id": "evt-1", "title": "读书会", "start_at": START.isoformat()}
    promoted = {"kind": "event_promoted", "data": data}
    assert notification_sentence(promoted, NOW) == (
        "A place came free: you now have a place at 读书会, Tomorrow (Mon, Nov 23) 2:00 PM."
    )
    no_show = notification_sentence({"kind": "event_no_show", "data": data}, NOW)
    assert "does not stop you signing up" in no_show
    decided = {"kind": "event_appeal_decided", "data": {**data, "accepted": True}}
    assert event_notification_sentence(decided, NOW) == "Your appeal about 读书会 was accepted."
    assert event_notification_sentence({"kind": "trip_claimed", "data": data}, NOW) is None


def test_a_guide_to_an_event_meets_the_person_before_it_starts() -> None:
    form = TripForm.for_event(
        {"phone": "13800000001"}, NOW, "evt-1", "徐汇助残中心", START - timedelta(hours=1)
    )
    assert (form.to_place, form.event_id) == ("徐汇助残中心", "evt-1")
    assert (form.day, form.time_text) == (date(2026, 11, 23), "13:00")
    assert form.draft().event_id == "evt-1"
