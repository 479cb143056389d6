"""The trip form's defaults and time steps, and the sentences a blind resident hears about a trip."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from app.features import notification_sentence
from app.i18n import set_language
from app.shell import new_notification_sentences
from app.state import AppState
from app.time_words import when_words
from app.trips.forms import TripForm, VolunteerDraft, toggled
from app.trips.messages import (
    KIND_SUBJECTS,
    PROBLEM_SENTENCES,
    code_word_sentence,
    needs_sentence,
    notes_sentence,
    rating_sentence,
    state_sentence,
    trip_input_sentence,
    trip_rejection_sentence,
    trip_title,
    volunteer_status_sentence,
    who_sentence,
)
from services.clock import SHANGHAI
from services.errors import InputError
from services.personal import PersonalView
from services.sync.outbox import Rejection

# Sunday 22 November 2026, 10:15 in Shanghai
NOW = datetime(2026, 11, 22, 10, 15, tzinfo=SHANGHAI).astimezone(UTC)
ME = {"phone": "13800000001", "name": "张阿姨", "facts": {"district": "310101"}}


pytestmark = pytest.mark.usefixtures("english")


def test_form_defaults_come_from_the_profile_and_the_clock() -> None:
    form = TripForm.for_person(ME, NOW)
    assert form.contact_phone == "13800000001" and form.district == "310101"
    assert form.needs == {"sighted_guide"}
    assert (form.day, form.time_text) == (date(2026, 11, 22), "12:00")  # next hour, 1 h ahead
    draft = form.draft()
    assert draft.needs == ["sighted_guide"] and draft.time_text == "12:00"


def test_time_steps_cross_midnight_and_recover_from_unreadable_text() -> None:
    form = TripForm(day=date(2026, 11, 22), time_text="23:45")
    form.shift_time(timedelta(minutes=30), NOW)
    assert (form.day, form.time_text) == (date(2026, 11, 23), "00:15")
    form.shift_time(timedelta(minutes=-30), NOW)
    assert (form.day, form.time_text) == (date(2026, 11, 22), "23:45")
    form.time_text = "14点30"  # any form the request accepts
    form.shift_time(timedelta(minutes=30), NOW)
    assert (form.day, form.time_text) == (date(2026, 11, 22), "15:00")
    form.time_text = "half past two"
    form.shift_time(timedelta(minutes=30), NOW)
    assert (form.day, form.time_text) == (date(2026, 11, 22), "10:45")  # from "now"


def test_volunteer_draft_starts_from_the_profile_and_toggles() -> None:
    draft = VolunteerDraft.for_person(ME)
    assert (draft.real_name, draft.phone, draft.districts) == ("张阿姨", "13800000001", {"310101"})
    assert toggled({"a"}, "a") == set() and toggled(set(), "a") == {"a"}


def test_when_is_said_relative_to_today_in_shanghai_time() -> None:
    tomorrow_afternoon = datetime(2026, 11, 23, 6, 30, tzinfo=UTC)  # 14:30 in Shanghai
    assert when_words(tomorrow_afternoon, NOW) == "Tomorrow (Mon, Nov 23) 2:30 PM"
    assert when_words(tomorrow_afternoon.isoformat(), NOW).startswith("Tomorrow")
    later = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)
    assert when_words(later, NOW) == "Thu, Nov 26 9:00 AM"
    set_language("zh_CN")
    assert when_words(tomorrow_afternoon, NOW) == "明天（11月23日周一）下午2:30"


def claimed_trip(role: str) -> dict:
    return {
        "id": "t1",
        "state": "claimed",
        "my_role": role,
        "from_place": "Home",
        "to_place": "Ruijin Hospital",
        "start_at": "2026-11-23T06:30:00+00:00",
        "needs": ["sighted_guide", "wheelchair"],
        "resident_name": "Zhang",
        "contact_phone": "13800000001",
        "volunteer": {"name": "Li", "phone": "13800000002"},
        "code_word": "moon teacup",
        "notes": "north gate",
    }


def said(trip: dict) -> list[str | None]:
    """The lines of a trip's card, in the order the card reads them (views.trips.parts)."""
    return [
        trip_title(trip, NOW),
        state_sentence(trip),
        needs_sentence(trip),
        who_sentence(trip),
        code_word_sentence(trip),
        notes_sentence(trip),
        rating_sentence(trip),
    ]


def test_the_resident_hears_when_where_who_and_the_code_word() -> None:
    assert said(claimed_trip("resident")) == [
        "Tomorrow (Mon, Nov 23) 2:30 PM, from Home to Ruijin Hospital",
        "State: A volunteer has taken it.",
        "Needs: sighted guide and wheelchair help.",
        "Your volunteer: Li, phone 13800000002.",
        "Code word: moon teacup. Your volunteer will say it when you meet. Go only with "
        "someone who says it.",
        "Notes: north gate",
        None,  # not completed: nothing to rate yet
    ]


def test_the_volunteer_hears_whom_they_guide_and_to_say_the_word() -> None:
    lines = said(claimed_trip("volunteer"))
    assert "You are guiding Zhang; contact phone 13800000001." in lines
    assert any(s and s.startswith("Code word: moon teacup. Say it") for s in lines)


def test_a_claim_not_confirmed_yet_says_the_word_comes_later() -> None:
    trip = {**claimed_trip("volunteer"), "code_word": None, "sending": True}
    assert code_word_sentence(trip) == (
        "The code word appears once the server confirms your claim."
    )
    assert state_sentence(trip).endswith("not sent to the server yet.")


def test_a_lost_race_is_said_plainly_and_every_refusal_has_a_sentence() -> None:
    lost = Rejection("a1", "trip_claim", {"trip_id": "t1"}, "trip_taken")
    assert trip_rejection_sentence(lost) == (
        "Another volunteer took this trip first. It has been removed from your list."
    )
    for kind in KIND_SUBJECTS:
        for code in [*PROBLEM_SENTENCES, "validation_error"]:
            sentence = trip_rejection_sentence(Rejection("a", kind, {}, code))
            assert sentence and "{" not in sentence
    assert trip_rejection_sentence(Rejection("a", "profile_edit", {}, "x")) is None


def test_form_errors_have_sentences() -> None:
    assert trip_input_sentence(InputError("id_number", "id_number_length", typed=17)) == (
        "An ID card number has 18 characters; you typed 17."
    )
    assert "at most 200" in str(
        trip_input_sentence(InputError("notes", "notes_too_long", limit=200))
    )
    assert trip_input_sentence(InputError("phone", "phone_empty")) is None  # the shared sentence
    # Refused on the device already (it knows the trip's state): the server's sentence.
    assert trip_input_sentence(InputError("trip", "already_rated")) == (
        "You have already rated this trip."
    )
    for code in ("trip_unknown", "illegal_transition", "volunteer_exists", "districts_too_many"):
        assert trip_input_sentence(InputError("trip", code))


def test_notifications_are_sentences() -> None:
    data = {"start_at": "2026-11-23T06:30:00+00:00", "from_place": "Home", "to_place": "Clinic"}
    claimed = {"kind": "trip_claimed", "data": {**data, "volunteer_name": "Li", "code_word": "w"}}
    assert notification_sentence(claimed, NOW) == (
        "Li will guide you: Tomorrow (Mon, Nov 23) 2:30 PM, from Home to Clinic. Code word: w."
    )
    assert "no longer come" in notification_sentence({"kind": "trip_released", "data": data}, NOW)
    assert notification_sentence({"kind": "unknown", "data": {}}, NOW) == "You have a new message."


def test_only_notifications_arriving_during_the_session_are_announced() -> None:
    data = {"start_at": "2026-11-23T06:30:00+00:00", "from_place": "A", "to_place": "B"}
    first = {"id": 1, "kind": "trip_expired", "data": data, "read_at": None}
    state = AppState(signed_in=True, personal=PersonalView(notifications=[first]))
    assert new_notification_sentences(state, NOW) == []  # already waiting when the app opened
    second = {"id": 2, "kind": "trip_released", "data": data, "read_at": None}
    state.personal = PersonalView(notifications=[second, first])
    assert len(new_notification_sentences(state, NOW)) == 1
    assert new_notification_sentences(state, NOW) == []  # said once


def test_a_suspended_volunteer_is_told_why_and_whom_to_ask(chinese: None) -> None:
    paused = {"status": "suspended", "suspended_reason": "两次未按约定到达。"}

    assert volunteer_status_sentence(paused) == (
        "工作人员已暂停您的志愿服务：两次未按约定到达。 目前不能接单，请联系您的社区服务点。"
    )
    assert volunteer_status_sentence({"status": "pending"}) == "您的注册正在等待工作人员审核。"
