"""Trip requests, volunteer registrations and ratings are checked before they are queued.

services/validation.py: text is trimmed, NFC-composed and cleaned of control and bidi characters
before the server's limits are counted; each refusal names its field and a code a sentence can
explain. services/trips/commands.py puts the checks together, in the order of the form, and refuses an
action the trip's state (as shown) does not allow; nothing refused is ever queued.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest
from personal_support import signed_in_personal
from server_rows import trip_row

from services.errors import InputError
from services.sync.store import OUTBOX_PAYLOAD, LocalStore, save_snapshot
from services.trips.commands import TripCommands, TripDraft, VolunteerForm
from services.validation import (
    AVAILABILITY,
    COMMENT_LIMIT,
    DISTRICTS_LIMIT,
    NAME_LIMIT,
    NOTES_LIMIT,
    PLACE_LIMIT,
    SKILLS,
    clean_places,
    clean_rating,
    clean_trip_details,
    clean_volunteer_fields,
    normalise_district,
)

TODAY = date(2026, 11, 20)
NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai


def refusal(call: Any, *args: Any, **kwargs: Any) -> tuple[str, str, dict[str, int]]:
    with pytest.raises(InputError) as caught:
        call(*args, **kwargs)
    return caught.value.field, caught.value.code, caught.value.params


def test_the_limits_and_values_are_the_contracts():
    assert (PLACE_LIMIT, NOTES_LIMIT, NAME_LIMIT, COMMENT_LIMIT, DISTRICTS_LIMIT) == (
        100,
        200,
        32,
        200,
        16,
    )
    assert SKILLS == ("sighted_guide", "sign_language", "wheelchair")
    assert AVAILABILITY == ("weekday_daytime", "weekday_evening", "weekend")


# -- places ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "cleaned"),
    [
        (("家", "医院"), ("家", "医院")),
        (
            ("  人民广场地铁站 2 号口 \n", "\u3000瑞金医院\u3000"),
            ("人民广场地铁站 2 号口", "瑞金医院"),
        ),
        (("家\x00", "医\u202e院"), ("家", "医院")),  # control and bidi characters removed
        (("Cafe\u0301", "Home"), ("Café", "Home")),  # NFC
        (("a\tb", "c\r\nd"), ("a b", "c d")),  # line breaks become spaces
    ],
)
def test_places_are_trimmed_and_cleaned(typed: tuple[str, str], cleaned: tuple[str, str]):
    assert clean_places(*typed) == cleaned


@pytest.mark.parametrize(
    ("typed", "field", "code", "params"),
    [
        (("", "医院"), "from_place", "from_empty", {}),
        (("  \n", "医院"), "from_place", "from_empty", {}),
        (("\x00\u200e", "医院"), "from_place", "from_empty", {}),
        (("家", ""), "to_place", "to_empty", {}),
        (("家", "\u3000"), "to_place", "to_empty", {}),
        (("", ""), "from_place", "from_empty", {}),  # the first field first
        (("字" * 101, "医院"), "from_place", "place_too_long", {"limit": 100, "typed": 101}),
        (("家", "字" * 101), "to_place", "place_too_long", {"limit": 100, "typed": 101}),
        (("瑞金医院", "瑞金医院"), "to_place", "same_place", {}),
        (("瑞金 医院", " 瑞金医院 "), "to_place", "same_place", {}),
        (("Home", "home"), "to_place", "same_place", {}),
    ],
)
def test_places_are_refused_with_a_reason(
    typed: tuple[str, str], field: str, code: str, params: dict[str, int]
):
    assert refusal(clean_places, *typed) == (field, code, params)


def test_the_place_limit_counts_what_is_kept():
    assert clean_places("  " + "字" * 100 + "\x00 ", "医院")[0] == "字" * 100
    assert clean_places("e\u0301" * 100, "医院")[0] == "\u00e9" * 100  # after composing


# -- the rest of a request ------------------------------------------------------------------

DETAILS: dict[str, Any] = {
    "district": "310101",
    "needs": ["sighted_guide"],
    "contact_phone": "13800000001",
    "notes": "",
}


def test_details_are_normalised():
    assert clean_trip_details(
        district=" ３１０１０４ ",
        needs=["wheelchair", "sighted_guide", "wheelchair"],
        contact_phone="+86 138-0000-0001",
        notes="  我拿白手杖\n在 2 号口等  ",
    ) == {
        "district": "310104",
        "needs": ["wheelchair", "sighted_guide"],  # as chosen, each once
        "contact_phone": "13800000001",
        "notes": "我拿白手杖 在 2 号口等",
    }


@pytest.mark.parametrize("notes", ["", "   ", None, "\x00"])
def test_an_empty_note_is_none(notes: str | None):
    assert clean_trip_details(**{**DETAILS, "notes": notes})["notes"] is None


@pytest.mark.parametrize(
    ("changes", "field", "code", "params"),
    [
        ({"district": ""}, "district", "district_invalid", {}),
        ({"district": "310201"}, "district", "district_invalid", {}),  # not Shanghai
        ({"district": "31010"}, "district", "district_invalid", {}),
        ({"district": "黄浦区"}, "district", "district_invalid", {}),
        ({"needs": []}, "needs", "needs_empty", {}),
        ({"needs": ["sighted_guide", "flying"]}, "needs", "need_invalid", {}),
        ({"needs": [""]}, "needs", "need_invalid", {}),
        ({"contact_phone": ""}, "contact_phone", "phone_empty", {}),
        ({"contact_phone": "1380000"}, "contact_phone", "phone_length", {"typed": 7}),
        ({"contact_phone": "12800000001"}, "contact_phone", "phone_prefix", {}),
        ({"contact_phone": "138abc00001"}, "contact_phone", "phone_not_digits", {}),
        ({"notes": "字" * 201}, "notes", "notes_too_long", {"limit": 200, "typed": 201}),
        ({"district": "x", "needs": []}, "district", "district_invalid", {}),  # form order
    ],
)
def test_details_are_refused_with_a_reason(
    changes: dict[str, Any], field: str, code: str, params: dict[str, int]
):
    assert refusal(clean_trip_details, **{**DETAILS, **changes}) == (field, code, params)


def test_notes_up_to_the_limit_are_kept():
    assert clean_trip_details(**{**DETAILS, "notes": " " + "字" * 200 + " "})["notes"] == "字" * 200


@pytest.mark.parametrize(("typed", "code"), [("310101", "310101"), ("310 115", "310115")])
def test_district_codes_are_forgiving(typed: str, code: str):
    assert normalise_district(typed) == code


# -- volunteer registration -------------------------------------------------------------------

FORM: dict[str, Any] = {
    "real_name": "李志愿",
    "id_number": "310104199001011233",
    "phone": "13800000002",
    "skills": ["sighted_guide"],
    "districts": ["310101", "310104"],
    "availability": ["weekend"],
}


def test_a_registration_is_normalised():
    assert clean_volunteer_fields(
        real_name=" 李志愿\n",
        id_number="11010519491231002x",
        phone="138 0000 0002",
        skills=["wheelchair", "sighted_guide", "wheelchair"],
        districts=["310104", "３１０１０１", "310104"],
        availability=["weekend", "weekday_evening"],
        today=TODAY,
    ) == {
        "real_name": "李志愿",
        "id_number": "11010519491231002X",
        "phone": "13800000002",
        "skills": ["wheelchair", "sighted_guide"],
        "districts": ["310104", "310101"],
        "availability": ["weekend", "weekday_evening"],
    }


@pytest.mark.parametrize(
    ("changes", "field", "code", "params"),
    [
        ({"real_name": ""}, "real_name", "name_empty", {}),
        ({"real_name": " \u200f "}, "real_name", "name_empty", {}),
        ({"real_name": "李" * 33}, "real_name", "name_too_long", {"limit": 32, "typed": 33}),
        ({"id_number": ""}, "id_number", "id_number_empty", {}),
        ({"id_number": "31010419900101123"}, "id_number", "id_number_length", {"typed": 17}),
        ({"id_number": "31010419900101123A"}, "id_number", "id_number_chars", {}),
        ({"id_number": "310104199013011233"}, "id_number", "id_number_birth_date", {}),
        ({"id_number": "310104199001011234"}, "id_number", "id_number_check_digit", {}),
        ({"phone": ""}, "phone", "phone_empty", {}),
        ({"phone": "1380000000"}, "phone", "phone_length", {"typed": 10}),
        ({"skills": []}, "skills", "skills_empty", {}),
        ({"districts": []}, "districts", "districts_empty", {}),
        ({"districts": ["310101", "999999"]}, "districts", "district_invalid", {}),
        (
            {"districts": [f"3101{n:02d}" for n in range(17)]},
            "districts",
            "districts_too_many",
            {"limit": 16},
        ),
        ({"availability": []}, "availability", "availability_empty", {}),
        ({"real_name": "", "skills": []}, "real_name", "name_empty", {}),  # form order
    ],
)
def test_a_registration_is_refused_with_a_reason(
    changes: dict[str, Any], field: str, code: str, params: dict[str, int]
):
    form = {**FORM, **changes}
    assert refusal(clean_volunteer_fields, **form, today=TODAY) == (field, code, params)


def test_sixteen_districts_are_accepted():
    districts = [f"3101{n:02d}" for n in range(16)]
    assert clean_volunteer_fields(**{**FORM, "districts": districts})["districts"] == districts


def test_a_name_of_32_characters_is_accepted():
    assert clean_volunteer_fields(**{**FORM, "real_name": "李" * 32})["real_name"] == "李" * 32


@pytest.mark.parametrize(
    "changes", [{"skills": ["flying"]}, {"availability": ["weekday_daytime", "always"]}]
)
def test_a_choice_the_screen_never_offers_is_a_programming_error(changes: dict[str, Any]):
    with pytest.raises(ValueError, match="not a"):
        clean_volunteer_fields(**{**FORM, **changes})


# -- ratings --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stars", "comment", "cleaned"),
    [
        (5, None, {"stars": 5, "comment": None}),
        (1, "", {"stars": 1, "comment": None}),
        (3, "  很准时 \n", {"stars": 3, "comment": "很准时"}),
        (4, "字" * 200, {"stars": 4, "comment": "字" * 200}),
    ],
)
def test_ratings_are_cleaned(stars: int, comment: str | None, cleaned: dict[str, Any]):
    assert clean_rating(stars, comment) == cleaned


@pytest.mark.parametrize("stars", [0, 6, -1, True, False, 3.0, "5", None])
def test_stars_are_a_whole_number_from_one_to_five(stars: Any):
    assert refusal(clean_rating, stars, None) == ("stars", "stars_invalid", {})


def test_a_long_comment_is_refused_with_the_limit():
    assert refusal(clean_rating, 5, "字" * 201) == (
        "comment",
        "comment_too_long",
        {"limit": 200, "typed": 201},
    )


# -- TripCommands: the checks in form order, and nothing refused is queued ----------------------

ME = {"id": 7, "name": "张阿姨", "phone": "13800000001", "version": 1}


def trip(trip_id: str, state: str, my_role: str | None, **fields: Any) -> dict[str, Any]:
    return trip_row(trip_id, state, my_role, **{"my_rating": None, **fields})


@pytest.fixture
def actions(store: LocalStore) -> Iterator[TripCommands]:
    """TripCommands over a real store holding a signed-in person's snapshots; no server at all
    (an unroutable URL: anything that tried to send would fail)."""
    personal = signed_in_personal(store)
    with store.transaction() as db:
        save_snapshot(db, "me", ME)
        save_snapshot(
            db,
            "trips",
            [
                trip("mine-open", "open", "resident"),
                trip("mine-done", "completed", "resident"),
                trip("rated", "completed", "volunteer", my_rating={"stars": 5, "comment": None}),
                trip("guiding", "claimed", "volunteer"),
            ],
        )
        save_snapshot(db, "open_trips", [trip("free", "open", None)])
        save_snapshot(db, "volunteer", None)
    yield TripCommands(personal, now=lambda: NOW)
    personal.account.api.close()


def queued(actions: TripCommands) -> list[tuple[str, dict[str, Any]]]:
    rows = actions.personal.store.read(f"SELECT kind, {OUTBOX_PAYLOAD} FROM outbox ORDER BY seq")
    return [(kind, json.loads(payload)) for kind, payload in rows]


DRAFT = TripDraft(
    from_place="家",
    to_place="瑞金医院",
    day=date(2026, 11, 23),
    time_text="14:00",
    district="310101",
    needs=["sighted_guide"],
    contact_phone="13800000001",
)


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"from_place": ""}, "from_place", "from_empty"),
        ({"to_place": "家"}, "to_place", "same_place"),
        ({"time_text": ""}, "time", "time_empty"),
        ({"time_text": "下午2点"}, "time", "time_invalid"),
        ({"day": date(2026, 11, 20), "time_text": "10:15"}, "time", "time_too_soon"),
        ({"day": date(2027, 1, 1)}, "time", "time_too_far"),
        ({"district": "1"}, "district", "district_invalid"),
        ({"needs": []}, "needs", "needs_empty"),
        ({"contact_phone": "123"}, "contact_phone", "phone_length"),
        ({"notes": "字" * 201}, "notes", "notes_too_long"),
        ({"to_place": "", "time_text": ""}, "to_place", "to_empty"),  # form order: places first
        ({"time_text": "", "district": ""}, "time", "time_empty"),  # then the time
    ],
)
def test_a_bad_request_is_refused_and_not_queued(
    actions: TripCommands, changes: dict[str, Any], field: str, code: str
):
    assert refusal(actions.request_trip, replace(DRAFT, **changes))[:2] == (field, code)
    assert queued(actions) == []


def test_a_good_request_is_queued_as_the_server_takes_it(actions: TripCommands):
    trip_id = actions.request_trip(replace(DRAFT, notes=" 白手杖 ", to_place=" 瑞金医院 "))
    [(kind, payload)] = queued(actions)
    assert kind == "trip_request"
    assert payload == {
        "trip": {
            "id": trip_id,
            "from_place": "家",
            "to_place": "瑞金医院",
            "start_at": "2026-11-23T06:00:00+00:00",  # 14:00 in Shanghai
            "district": "310101",
            "needs": ["sighted_guide"],
            "contact_phone": "13800000001",
            "notes": "白手杖",
        },
        "requested_at": NOW.isoformat(),
    }


@pytest.mark.parametrize(
    ("act", "trip_id", "code"),
    [
        ("cancel_trip", "nowhere", "trip_unknown"),
        ("cancel_trip", "mine-done", "illegal_transition"),  # completed
        ("cancel_trip", "guiding", "illegal_transition"),  # not mine to cancel
        ("start_trip", "mine-open", "illegal_transition"),  # my own request
        ("start_trip", "free", "trip_unknown"),  # not claimed by me
        ("complete_trip", "guiding", "illegal_transition"),  # not started yet
        ("release_trip", "rated", "illegal_transition"),  # completed
        ("claim_trip", "mine-open", "illegal_transition"),  # my own request
        ("claim_trip", "nowhere", "trip_unknown"),
    ],
)
def test_a_step_the_trip_does_not_allow_is_refused_and_not_queued(
    actions: TripCommands, act: str, trip_id: str, code: str
):
    assert refusal(getattr(actions, act), trip_id) == ("trip", code, {})
    assert queued(actions) == []


@pytest.mark.parametrize(
    ("trip_id", "stars", "field", "code"),
    [
        ("mine-done", 0, "stars", "stars_invalid"),
        ("mine-open", 5, "trip", "illegal_transition"),  # not completed
        ("rated", 5, "trip", "already_rated"),
        ("nowhere", 5, "trip", "trip_unknown"),
    ],
)
def test_a_rating_that_cannot_be_given_is_refused(
    actions: TripCommands, trip_id: str, stars: int, field: str, code: str
):
    assert refusal(actions.rate_trip, trip_id, stars)[:2] == (field, code)
    assert queued(actions) == []


def test_registering_twice_is_refused(actions: TripCommands):
    form = VolunteerForm(**FORM)
    actions.register_volunteer(form)
    assert refusal(actions.register_volunteer, form) == ("volunteer", "volunteer_exists", {})
    assert [kind for kind, _ in queued(actions)] == ["volunteer_register"]


def test_a_bad_registration_is_refused_and_not_queued(actions: TripCommands):
    form = VolunteerForm(**{**FORM, "id_number": "310104199001011234"})
    assert refusal(actions.register_volunteer, form)[1] == "id_number_check_digit"
    assert queued(actions) == []


@pytest.mark.parametrize("up_to_id", [0, -1, True, "3", None])
def test_a_notification_id_is_a_positive_int(actions: TripCommands, up_to_id: Any):
    with pytest.raises(ValueError, match="notification id"):
        actions.mark_notifications_read(up_to_id)
    assert queued(actions) == []
