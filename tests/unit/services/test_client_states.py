"""The client's rules, asked by the screens: which step a trip offers me, and what I may do with
a sign-up by the event's deadlines (services/trips/states.py, services/events/states.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.catalog import Event
from services.events import states as events
from services.trips.states import ACTIVE, can, is_active

START = datetime(2026, 6, 1, 6, 0, tzinfo=UTC)
EVENT = Event(
    id="e",
    title="读书会",
    start_at=START,
    end_at=START + timedelta(hours=2),
    signup_deadline=START - timedelta(days=1),
    cancel_deadline=START - timedelta(hours=12),
)


@pytest.mark.parametrize(
    ("state", "my_role", "offered"),
    [
        ("open", "resident", {"cancel"}),
        ("claimed", "resident", {"cancel"}),
        ("in_progress", "resident", set()),
        ("completed", "resident", {"rate"}),
        ("claimed", "volunteer", {"start", "release"}),
        ("in_progress", "volunteer", {"complete"}),
        ("completed", "volunteer", {"rate"}),
        ("cancelled", "volunteer", set()),
        ("expired", "resident", set()),
    ],
)
def test_a_trip_offers_the_steps_of_its_state_and_my_part(state, my_role, offered):
    trip = {"state": state, "my_role": my_role}
    steps = {"cancel", "rate", "start", "complete", "release"}
    assert {step for step in steps if can(trip, step)} == offered
    assert is_active(trip) is (state in ACTIVE)


def test_a_rated_trip_is_not_offered_for_rating_again():
    assert not can({"state": "completed", "my_rating": 5}, "rate")


def test_sign_up_closes_at_its_deadline():
    assert events.signup_open(EVENT, EVENT.signup_deadline)
    assert not events.signup_open(EVENT, EVENT.signup_deadline + timedelta(seconds=1))


def test_a_confirmed_place_is_cancelled_until_the_deadline_then_excused():
    confirmed = {"state": "confirmed"}
    before, after = EVENT.cancel_deadline, EVENT.cancel_deadline + timedelta(seconds=1)
    assert events.can_cancel(EVENT, confirmed, before)
    assert not events.can_excuse(EVENT, confirmed, before)
    assert not events.can_cancel(EVENT, confirmed, after)
    assert events.can_excuse(EVENT, confirmed, after)
    assert not events.can_excuse(EVENT, confirmed, EVENT.end_at)
    assert not events.can_cancel(EVENT, {**confirmed, "checked_in_at": "x"}, before)


def test_a_waiting_list_place_is_given_up_until_the_start_and_never_excused():
    waiting = {"state": "waitlisted"}
    late = EVENT.cancel_deadline + timedelta(hours=1)
    assert events.can_cancel(EVENT, waiting, late)
    assert not events.can_cancel(EVENT, waiting, START)
    assert not events.can_excuse(EVENT, waiting, late)


def test_a_guide_is_offered_while_there_is_time_to_find_one():
    signed = {"state": "confirmed"}
    last = events.guide_meets_at(EVENT) - events.TRIP_NOTICE
    assert events.can_ask_for_guide(EVENT, signed, last)
    assert not events.can_ask_for_guide(EVENT, signed, last + timedelta(seconds=1))
    assert not events.can_ask_for_guide(EVENT, {**signed, "guide_trip_id": "t"}, last)
    assert not events.can_ask_for_guide(EVENT, {"state": "sending"}, last)


def test_a_confirmed_place_checks_in_from_an_hour_before_the_start_until_the_end():
    confirmed = {"state": "confirmed"}
    opens = START - events.CHECKIN_OPENS_BEFORE
    assert not events.can_check_in(EVENT, confirmed, opens - timedelta(seconds=1))
    assert events.can_check_in(EVENT, confirmed, opens)
    assert events.can_check_in(EVENT, confirmed, EVENT.end_at)
    assert not events.can_check_in(EVENT, confirmed, EVENT.end_at + timedelta(seconds=1))
    assert not events.can_check_in(EVENT, {**confirmed, "checked_in_at": "x"}, START)
    assert not events.can_check_in(EVENT, {"state": "waitlisted"}, START)
