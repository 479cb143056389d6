"""The attendance record, end to end on the REAL backend: after an event ends the server marks
who came, who was excused and who did not come; the person sees the record with its reasons,
appeals a no-show through the outbox, hears staff's decision, and is never stopped from signing
up again. The server's clock is moved past the event's end (``app.state.clock``).
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from event_client_support import (
    aunt_client,  # noqa: F401 (a fixture)
    clock_at_ten,  # noqa: F401 (a fixture)
    create_event,
    notified,
    pull,
    server_signup,
    staff_client,  # noqa: F401 (a fixture)
    sync,
)
from sync_support import BackendServer

from backend.core.clock import FakeClock
from services.client import PersonalServices
from services.errors import InputError
from services.events.commands import my_signup


def record(client: PersonalServices, signup_id: str) -> dict:
    return next(i for i in client.personal.view().attendance["items"] if i["id"] == signup_id)


def test_a_no_show_is_shown_with_its_reasons_appealed_and_decided(
    staff: PersonalServices, aunt: PersonalServices, clock: FakeClock, backend: BackendServer
):
    missed_id = create_event(staff, clock.now + timedelta(minutes=30), hours=1)["id"]
    excused_id = create_event(staff, clock.now + timedelta(minutes=40), hours=1, title="读书会")[
        "id"
    ]
    pull(aunt)
    missed = aunt.events.sign_up(missed_id)
    excused = aunt.events.sign_up(excused_id)
    aunt.events.excuse(excused_id, "health", "感冒了")
    assert my_signup(aunt.personal.view(), excused_id)["excuse"]["reason"] == "health"  # at once
    sync(aunt, sent=3)
    assert aunt.personal.view().attendance["items"] == []  # nothing has ended yet

    clock.advance(hours=2)  # both events are over; the next request runs the marking
    aunt.personal.refresh()

    attendance = aunt.personal.view().attendance
    assert attendance["blocks_signup"] is False  # the record never stops anyone signing up
    assert attendance["summary"] == {
        "attended": 0,
        "excused": 1,
        "no_show": 1,
        "appeals_pending": 0,
    }
    assert record(aunt, missed)["attendance"] == "no_show"
    assert record(aunt, excused)["attendance"] == "excused"
    assert record(aunt, excused)["excuse"]["note"] == "感冒了"
    assert notified(aunt, "event_no_show", missed_id)
    assert not notified(aunt, "event_no_show", excused_id)
    with pytest.raises(InputError) as too_late:
        aunt.events.excuse(missed_id, "weather")
    assert too_late.value.code == "excuse_closed"  # after the end the way is an appeal
    with pytest.raises(InputError) as not_missed:
        aunt.events.appeal(excused, "health", "我请过假")
    assert not_missed.value.code == "not_no_show"

    aunt.events.appeal(missed, "escort_failed", " 志愿者临时有事，我一个人去不了。 ")
    shown = record(aunt, missed)
    assert (shown["appeal"]["state"], shown["sending"]) == ("pending", True)
    assert aunt.personal.view().attendance["summary"]["appeals_pending"] == 1
    sync(aunt, sent=1)
    shown = record(aunt, missed)
    assert shown["appeal"]["state"] == "pending" and "sending" not in shown
    assert shown["appeal"]["text"] == "志愿者临时有事，我一个人去不了。"
    assert server_signup(backend, missed).appeal_state == "pending"
    with pytest.raises(InputError) as twice:
        aunt.events.appeal(missed, "other", "再说一次")
    assert twice.value.code == "appeal_exists"

    staff.account.call(
        "POST",
        f"/events/{missed_id}/signups/{missed}/appeal/decision",
        json={"accept": True, "note": "已核实，志愿者请假"},
        key=str(uuid.uuid4()),
    )
    aunt.personal.refresh()
    decided = record(aunt, missed)
    assert decided["attendance"] == "excused"
    assert (decided["appeal"]["state"], decided["appeal"]["note"]) == (
        "accepted",
        "已核实，志愿者请假",
    )
    summary = aunt.personal.view().attendance["summary"]
    assert (summary["no_show"], summary["excused"], summary["appeals_pending"]) == (0, 2, 0)
    assert notified(aunt, "event_appeal_decided", missed_id)


def test_a_no_show_never_blocks_the_next_sign_up(
    staff: PersonalServices, aunt: PersonalServices, clock: FakeClock
):
    missed_id = create_event(staff, clock.now + timedelta(minutes=30), hours=1)["id"]
    pull(aunt)
    aunt.events.sign_up(missed_id)
    sync(aunt, sent=1)
    clock.advance(hours=2)
    aunt.personal.refresh()
    assert aunt.personal.view().attendance["summary"]["no_show"] == 1

    next_id = create_event(staff, clock.now + timedelta(days=1))["id"]
    pull(aunt)
    aunt.events.sign_up(next_id)
    sync(aunt, sent=1)
    assert my_signup(aunt.personal.view(), next_id)["state"] == "confirmed"
