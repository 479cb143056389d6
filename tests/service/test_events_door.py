"""Staff at the door with bad reception, against the REAL backend over HTTP.

The staff client's link is a ``FlakyTransport``: cut (connections refused) while staff check
people in, then back with the first answer lost. Every check-in is shown at once, queued, and
replayed with its Idempotency-Key until the server has it: exactly one check-in, at the time
staff acted (not when the phone found reception), and a check-in and its undo arrive in order.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from event_client_support import (
    MakeClient,
    aunt_client,  # noqa: F401 (a fixture)
    clock_at_ten,  # noqa: F401 (a fixture)
    create_event,
    pull,
    server_signup,
    server_signups,
    signed_in,
    sync,
)
from sync_support import BackendServer, FlakyTransport

from backend.core.clock import FakeClock
from backend.demo_users import RESIDENT_PHONE, STAFF_PHONE, VOLUNTEER_PHONE
from services.client import PersonalServices
from services.events.commands import door_event, find_attendees, my_signup, spoken_code
from services.sync.outbox import OutboxStatus
from services.sync.sender import DrainStop
from services.trips.time import parse_instant


@pytest.fixture
def link() -> FlakyTransport:
    return FlakyTransport()


@pytest.fixture
def staff(
    make_client: MakeClient, backend: BackendServer, clock: FakeClock, link: FlakyTransport
) -> PersonalServices:
    return signed_in(make_client, backend, clock, STAFF_PHONE, "staff", transport=link)


@pytest.fixture
def door(
    staff: PersonalServices,
    aunt: PersonalServices,
    make_client: MakeClient,
    backend: BackendServer,
    clock: FakeClock,
) -> dict[str, Any]:
    """An event starting in half an hour (check-in is open), 张阿姨 and 李 confirmed, and the
    door list on the staff client."""
    event_id = create_event(staff, clock.now + timedelta(minutes=30))["id"]
    li = signed_in(make_client, backend, clock, VOLUNTEER_PHONE, "li")
    for client in (aunt, li):
        pull(client)
        client.events.sign_up(event_id)
        sync(client, sent=1)
    staff.personal.refresh()
    entry = door_event(staff.personal.view(), event_id)
    assert entry is not None
    assert entry["counts"] == {"confirmed": 2, "waitlisted": 0, "checked_in": 0}
    [row] = find_attendees(entry["attendees"], "zhangayi")
    assert row["name"] == "张阿姨" and row["phone_tail"] == RESIDENT_PHONE[-4:]
    return {"event_id": event_id, "attendee": row}


def attendee_shown(staff: PersonalServices, event_id: str, signup_id: str) -> dict[str, Any]:
    entry = door_event(staff.personal.view(), event_id)
    assert entry is not None
    return next(a for a in entry["attendees"] if a["signup_id"] == signup_id)


def checked_in_count(staff: PersonalServices, event_id: str) -> int:
    entry = door_event(staff.personal.view(), event_id)
    assert entry is not None
    return entry["counts"]["checked_in"]


def test_an_offline_door_check_in_is_replayed_once_with_the_time_staff_acted(
    staff: PersonalServices,
    aunt: PersonalServices,
    link: FlakyTransport,
    door: dict[str, Any],
    clock: FakeClock,
    backend: BackendServer,
):
    event_id, row = door["event_id"], door["attendee"]
    signup_id = row["signup_id"]
    acted = clock.now
    link.fail_after = link.requests  # no reception at the door from here on

    action_id = staff.events.door_check_in(event_id, spoken_code(row["personal_code"]))
    shown = attendee_shown(staff, event_id, signup_id)
    assert (parse_instant(shown["checked_in_at"]), shown["sending"]) == (acted, True)
    assert checked_in_count(staff, event_id) == 1  # the live count moves at once
    result = staff.sender.drain()
    assert (result.stopped, result.sent, result.waiting) == (DrainStop.OFFLINE, 0, 1)
    assert server_signup(backend, signup_id).checked_in_at is None

    clock.advance(minutes=10)  # reception comes back ten minutes later...
    link.fail_after = None
    link.drop_response_of = link.requests + 1  # ...and the check-in's answer is lost

    result = staff.sender.drain()
    assert (result.stopped, result.sent, result.rejected) == (DrainStop.EMPTY, 1, 0)
    assert link.drop_response_of is not None
    assert link.requests > link.drop_response_of  # sent again after the lost answer
    again = staff.sender.drain()  # a second drain sends nothing more
    assert (again.stopped, again.sent, again.waiting) == (DrainStop.EMPTY, 0, 0)
    assert staff.outbox.get(action_id).status is OutboxStatus.DONE

    checked = [s for s in server_signups(backend, event_id) if s.checked_in_at is not None]
    assert [s.id for s in checked] == [signup_id]  # exactly one check-in
    assert checked[0].checked_in_at == acted  # when staff acted, not when it was sent
    assert checked[0].attendance == "attended"

    staff.personal.refresh()
    shown = attendee_shown(staff, event_id, signup_id)
    assert parse_instant(shown["checked_in_at"]) == acted and "sending" not in shown
    assert checked_in_count(staff, event_id) == 1
    aunt.personal.refresh()
    mine = my_signup(aunt.personal.view(), event_id)
    assert parse_instant(mine["checked_in_at"]) == acted


def test_a_check_in_and_its_undo_made_offline_arrive_in_order(
    staff: PersonalServices,
    link: FlakyTransport,
    door: dict[str, Any],
    backend: BackendServer,
):
    event_id, signup_id = door["event_id"], door["attendee"]["signup_id"]
    before = server_signup(backend, signup_id).version
    link.fail_after = link.requests

    staff.events.door_check_in_person(event_id, signup_id)  # picked by name
    assert attendee_shown(staff, event_id, signup_id)["checked_in_at"] is not None
    assert checked_in_count(staff, event_id) == 1
    staff.events.door_undo(event_id, signup_id)  # the wrong 张: taken back
    assert attendee_shown(staff, event_id, signup_id)["checked_in_at"] is None
    assert checked_in_count(staff, event_id) == 0
    assert staff.personal.view().waiting == 2
    assert staff.sender.drain().stopped is DrainStop.OFFLINE

    link.fail_after = None
    result = staff.sender.drain()
    assert (result.stopped, result.sent, result.rejected) == (DrainStop.EMPTY, 2, 0)

    # Undo after check-in, not before: the server ends with nobody checked in, two changes on.
    row = server_signup(backend, signup_id)
    assert (row.checked_in_at, row.attendance, row.version) == (None, None, before + 2)
    staff.personal.refresh()
    assert attendee_shown(staff, event_id, signup_id)["checked_in_at"] is None
    assert checked_in_count(staff, event_id) == 0


def test_door_check_ins_by_code_and_by_name_count_live(
    staff: PersonalServices, door: dict[str, Any], backend: BackendServer
):
    event_id, row = door["event_id"], door["attendee"]
    entry = door_event(staff.personal.view(), event_id)
    [other] = [a for a in entry["attendees"] if a["signup_id"] != row["signup_id"]]

    staff.events.door_check_in(event_id, f"sunshine-checkin:{event_id}:{row['personal_code']}")
    staff.events.door_check_in_person(event_id, other["signup_id"])
    assert checked_in_count(staff, event_id) == 2
    sync(staff, sent=2)
    assert checked_in_count(staff, event_id) == 2
    assert all(s.checked_in_at is not None for s in server_signups(backend, event_id))
