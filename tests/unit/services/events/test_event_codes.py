"""Codes at the door and the helpers the event screens use (services/events/commands.py), no server.

A personal code may be typed with spaces or full-width digits, dictated in groups of three, or
scanned from the attendee's QR code (which names its event); staff find a person by part of the
name in characters or pinyin, by the last four digits of the phone, or by the code.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from server_rows import attendee_row

from services.catalog import Event
from services.errors import InputError
from services.events.commands import (
    attendee_for_code,
    attendee_qr_png,
    door_event,
    find_attendees,
    my_signup,
    parse_personal_code,
    qr_payload,
    spoken_code,
    upcoming_signups,
)
from services.events.states import checkin_window
from services.personal import PersonalView
from services.validation import clean_appeal, clean_excuse, normalise_event_code

EVENT_ID = "evt-tea"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


# -- personal codes: typed, dictated, scanned ----------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("482913", "482913"),
        ("482 913", "482913"),
        (" 482-913 ", "482913"),
        ("４８２９１３", "482913"),  # full-width digits from a Chinese IME
        ("４８２　９１３", "482913"),  # and an ideographic space
        ("sunshine-checkin:evt-tea:482913", "482913"),  # the QR payload
        ("  sunshine-checkin:evt-tea:482913\n", "482913"),  # as a scanner hands it over
        ("SUNSHINE-CHECKIN:evt-tea:482913", "482913"),
    ],
)
def test_a_personal_code_is_read_however_it_arrives(typed: str, code: str):
    assert parse_personal_code(typed, EVENT_ID) == code


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "48291",  # too short
        "4829135",  # too long
        "48291a",
        "２０４７",  # an event code, not a personal one
        "sunshine-checkin:evt-other:482913",  # another event's QR code
        "sunshine-checkin:482913",  # no event in it
        "sunshine-checkin:evt-tea:4829",
        "https://example.com/482913",
    ],
)
def test_anything_else_is_no_personal_code(typed: str):
    assert parse_personal_code(typed, EVENT_ID) is None


def test_the_qr_payload_round_trips():
    payload = qr_payload(EVENT_ID, "482913")
    assert payload == "sunshine-checkin:evt-tea:482913"
    assert parse_personal_code(payload, EVENT_ID) == "482913"
    uuid_event = "6f1c2a9e-3b1d-4f7a-9d7e-2f1e0c9b8a7d"
    assert parse_personal_code(qr_payload(uuid_event, "000123"), uuid_event) == "000123"
    assert parse_personal_code(qr_payload(uuid_event, "000123"), EVENT_ID) is None


def test_the_qr_code_is_a_png_at_least_200_pixels_wide():
    png = attendee_qr_png(EVENT_ID, "482913")
    assert png.startswith(PNG_SIGNATURE)
    width = int.from_bytes(png[16:20], "big")  # the IHDR chunk: width, then height
    height = int.from_bytes(png[20:24], "big")
    assert width == height >= 200


@pytest.mark.parametrize(
    ("code", "said"),
    [("482913", "482 913"), ("000123", "000 123"), ("2047", "20 47"), ("123", "123")],
)
def test_codes_are_read_aloud_in_groups(code: str, said: str):
    assert spoken_code(code) == said


# -- the event's own code, excuses and appeals ---------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "code"), [("2047", "2047"), ("20 47", "2047"), ("２０４７", "2047")]
)
def test_the_event_code_is_four_digits_however_typed(typed: str, code: str):
    assert normalise_event_code(typed) == code


@pytest.mark.parametrize(
    ("typed", "code"),
    [("", "code_empty"), (" ", "code_empty"), ("204", "code_wrong"), ("20477", "code_wrong"),
     ("20a7", "code_wrong"), ("482913", "code_wrong")],
)  # fmt: skip
def test_anything_but_four_digits_is_refused(typed: str, code: str):
    with pytest.raises(InputError) as caught:
        normalise_event_code(typed)
    assert (caught.value.field, caught.value.code) == ("code", code)


def test_excuses_and_appeals_are_cleaned():
    assert clean_excuse("health", "  发烧\n在家 ") == {"reason": "health", "note": "发烧 在家"}
    assert clean_excuse("weather", "") == {"reason": "weather", "note": None}
    assert clean_appeal("escort_failed", " 志愿者没来 ") == {
        "reason": "escort_failed",
        "text": "志愿者没来",
    }


def test_escort_failed_is_never_an_excuse_a_person_gives():
    with pytest.raises(ValueError, match="escort_failed"):
        clean_excuse("escort_failed", None)
    with pytest.raises(ValueError):
        clean_appeal("bored", "x")


# -- finding a person at the door ----------------------------------------------------------------


ATTENDEES = [
    attendee_row("s1", "张阿姨", "0001", "482913"),
    attendee_row("s2", "李志强", "5678", "119204"),
    attendee_row("s3", "吕小红", "0001", "730551"),
    attendee_row("s4", "王建国", "4321", "482001", state="waitlisted", waitlist_position=1),
]


def names(query: str) -> list[str]:
    return [a["name"] for a in find_attendees(ATTENDEES, query)]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("", ["张阿姨", "李志强", "吕小红", "王建国"]),
        ("  ", ["张阿姨", "李志强", "吕小红", "王建国"]),
        ("张", ["张阿姨"]),
        ("阿姨", ["张阿姨"]),  # any part of the name
        ("志", ["李志强"]),
        ("zhangayi", ["张阿姨"]),  # full pinyin
        ("zhang a yi", ["张阿姨"]),
        ("ZHANG", ["张阿姨"]),
        ("ａｙｉ", ["张阿姨"]),  # full-width letters
        ("zay", ["张阿姨"]),  # initials
        ("zq", ["李志强"]),
        ("wjg", ["王建国"]),
        ("lxh", ["吕小红"]),
        ("lvxiaohong", ["吕小红"]),  # ü typed as v
        ("luxiaohong", ["吕小红"]),  # or as u
        ("张ay", ["张阿姨"]),  # mixed, as pinyin input methods take it
        ("5678", ["李志强"]),  # the last four digits of the phone
        ("０００１", ["张阿姨", "吕小红"]),
        ("482913", ["张阿姨"]),  # the personal code
        ("482 913", ["张阿姨"]),
        ("482", ["张阿姨", "王建国"]),  # its start
        ("12", []),  # too short to be a code's start
        ("赵", []),
        ("xyz", []),
    ],
)
def test_find_attendees(query: str, found: list[str]):
    assert names(query) == found


def test_exact_readings_come_before_fuzzy_sounds():
    rows = [
        attendee_row("a", "臧明", "1111", "111111"),
        attendee_row("b", "张明", "2222", "222222"),
    ]
    assert [a["name"] for a in find_attendees(rows, "zangming")] == ["臧明", "张明"]
    assert [a["name"] for a in find_attendees(rows, "zhangming")] == ["张明", "臧明"]


DOOR = {
    "event": {"id": EVENT_ID, "start_at": "2026-11-20T02:00:00Z", "end_at": "2026-11-20T04:00:00Z"},
    "event_code": "2047",
    "counts": {"confirmed": 3, "waitlisted": 1, "checked_in": 0},
    "attendees": ATTENDEES,
}


@pytest.mark.parametrize(
    ("typed", "signup_id"),
    [("482913", "s1"), ("４８２ ９１３", "s1"), ("sunshine-checkin:evt-tea:730551", "s3")],
)
def test_a_code_finds_its_attendee_on_the_door_list(typed: str, signup_id: str):
    assert attendee_for_code(DOOR, typed)["signup_id"] == signup_id


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "code_empty"),
        ("48291", "code_wrong"),
        ("2047", "code_wrong"),  # the event's own code is not a person's
        ("sunshine-checkin:evt-other:482913", "code_wrong"),  # another event's QR code
        ("999999", "code_unknown"),  # well formed, on nobody's row
    ],
)
def test_a_code_that_finds_nobody_says_why(typed: str, code: str):
    with pytest.raises(InputError) as caught:
        attendee_for_code(DOOR, typed)
    assert (caught.value.field, caught.value.code) == ("code", code)


# -- the check-in window and the person's lists --------------------------------------------------

START = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
END = START + timedelta(hours=2)


@pytest.mark.parametrize(
    ("now", "state"),
    [
        (START - timedelta(minutes=61), "not_open"),
        (START - timedelta(minutes=60), "open"),  # an hour before the start
        (START, "open"),
        (END, "open"),  # until the end, inclusive
        (END + timedelta(seconds=1), "closed"),
    ],
)
def test_the_checkin_window_runs_from_an_hour_before_the_start_to_the_end(
    now: datetime, state: str
):
    as_dict = checkin_window(
        {"start_at": "2026-11-20T02:00:00Z", "end_at": "2026-11-20T04:00Z"}, now
    )
    event = Event(
        id=EVENT_ID,
        title="茶话会",
        start_at=START,
        end_at=END,
        signup_deadline=START,
        cancel_deadline=START,
    )
    as_event = checkin_window(event, now)
    assert as_dict == as_event
    assert (as_dict.state, as_dict.is_open) == (state, state == "open")
    assert (as_dict.opens_at, as_dict.closes_at) == (START - timedelta(hours=1), END)


def signup(event_id: str, state: str, start: datetime, **fields: Any) -> dict[str, Any]:
    return {
        "id": f"su-{event_id}",
        "event_id": event_id,
        "event_title": "活动",
        "start_at": start.isoformat(),
        "end_at": (start + timedelta(hours=2)).isoformat(),
        "state": state,
        **fields,
    }


def test_my_signups_for_the_screens():
    now = START
    rows = [
        signup("past", "confirmed", START - timedelta(days=1)),
        signup("going", "confirmed", START - timedelta(hours=1)),  # under way: still upcoming
        signup("left", "cancelled", START + timedelta(hours=3)),
        signup("queue", "waitlisted", START + timedelta(days=1)),
        signup("new", "sending", START + timedelta(days=2), sending=True),
    ]
    view = PersonalView(me={"id": 1}, signups=rows, door=[DOOR])
    assert [s["event_id"] for s in upcoming_signups(view, now)] == ["going", "queue", "new"]
    assert my_signup(view, "left")["state"] == "cancelled"
    assert my_signup(view, "nowhere") is None
    assert door_event(view, EVENT_ID) is DOOR
    assert door_event(view, "nowhere") is None
    assert view.attendance == {
        "items": [],
        "summary": {"attended": 0, "excused": 0, "no_show": 0, "appeals_pending": 0},
        "blocks_signup": False,
    }


def test_the_checkin_window_opens_an_hour_before_the_start_and_closes_at_the_end():
    window = checkin_window(
        {"start_at": "2026-11-20T02:00:00Z", "end_at": "2026-11-20T04:00Z"}, START
    )
    assert (window.opens_at, window.closes_at) == (START - timedelta(hours=1), END)
