"""POST /events (staff) and the catalogue projection: published at once without the code, and
re-published (a new seq) on every change of counts."""

import json
from datetime import timedelta
from typing import Any

import pytest
from events_support import EVENTS, Person, cancel, create_event, event_body, public_event, signed_up
from fastapi import FastAPI
from fastapi.testclient import TestClient
from route_support import problem_code

from backend import crud
from backend.core.clock import FakeClock
from backend.models import CatalogKind


def catalogue_item(app: FastAPI, event_id: str) -> tuple[int, int, dict[str, Any]]:
    """(version, seq, data) of the event's catalogue item."""
    with app.state.session_factory() as session:
        item = crud.get_item(session, CatalogKind.EVENT, event_id)
        assert item is not None and item.data is not None
        return item.version, item.seq, json.loads(item.data)


def test_staff_create_an_event_published_at_once_without_its_code(
    client: TestClient, staff: Person, clock: FakeClock, app: FastAPI
):
    response = staff.post(EVENTS, json=event_body(clock, id="evt-knitting", room=" 二楼 "))

    assert response.status_code == 201, response.text
    created = response.json()
    code = created.pop("event_code")
    assert len(code) == 4 and code.isdigit()
    assert created == {
        "id": "evt-knitting",
        "title": "阳光之家手工编织小组",
        "summary": "社工带大家编织杯垫。",
        "institution_id": "inst-sunshine-home",
        "room": "二楼",
        "district": "310101",
        "start_at": "2025-01-02T08:00:00Z",
        "end_at": "2025-01-02T10:00:00Z",
        "capacity": 2,
        "signup_deadline": "2025-01-02T07:00:00Z",
        "cancel_deadline": "2025-01-02T06:00:00Z",
        "provides": ["现场手语翻译", "可带导盲犬"],
        "confirmed": 0,
        "waitlisted": 0,
        "places_left": 2,
        "example_data": False,
    }
    assert public_event(client, "evt-knitting") == created
    assert catalogue_item(app, "evt-knitting")[2] == created


def test_the_district_defaults_to_the_venues(staff: Person, clock: FakeClock, app: FastAPI):
    with app.state.session_factory() as session:
        crud.upsert_item(
            session,
            CatalogKind.INSTITUTION,
            "inst-xuhui",
            {"id": "inst-xuhui", "district": "310104"},
        )
        session.commit()
    body = event_body(clock, institution_id="inst-xuhui")
    del body["district"]

    response = staff.post(EVENTS, json=body)

    assert response.status_code == 201 and response.json()["district"] == "310104"


def test_counts_move_with_sign_ups_and_each_change_is_a_new_catalogue_version(
    client: TestClient, person: Any, event: dict[str, Any], app: FastAPI
):
    versions = [catalogue_item(app, event["id"])]
    people = [person(f"1390000000{n}") for n in range(3)]
    for p in people:
        signed_up(p, event["id"])
        versions.append(catalogue_item(app, event["id"]))
    cancel(people[0], event["id"])  # the waiting one is promoted
    versions.append(catalogue_item(app, event["id"]))

    counts = [(d["confirmed"], d["waitlisted"], d["places_left"]) for _, _, d in versions]
    assert counts == [(0, 0, 2), (1, 0, 1), (2, 0, 0), (2, 1, 0), (2, 0, 0)]
    assert [v for v, _, _ in versions] == [1, 2, 3, 4, 5]
    seqs = [s for _, s, _ in versions]
    assert seqs == sorted(seqs) and len(set(seqs)) == 5
    assert public_event(client, event["id"]) == versions[-1][2]


def test_a_repeat_sign_up_does_not_republish(person: Any, event: dict[str, Any], app: FastAPI):
    someone = person("13900000001")
    signed_up(someone, event["id"])
    before = catalogue_item(app, event["id"])

    someone.post(f"{EVENTS}/{event['id']}/signups", json={})

    assert catalogue_item(app, event["id"]) == before


@pytest.mark.parametrize(
    "changes",
    [
        {"end_at": "2025-01-02T08:00:00Z"},
        {"end_at": "2025-01-02T07:00:00Z"},
        {"signup_deadline": "2025-01-02T08:00:01Z"},
        {"cancel_deadline": "2025-01-03T00:00:00Z"},
        {"capacity": 0},
        {"capacity": "5"},
        {"institution_id": "inst-nowhere"},
        {"title": "  "},
        {"start_at": "2025-01-02T08:00:00"},
        {"event_code": "1234"},
    ],
    ids=[
        "end at the start",
        "end before the start",
        "sign-up after the start",
        "cancelling after the start",
        "no places",
        "capacity as text",
        "unknown institution",
        "blank title",
        "no offset",
        "a code chosen by the caller",
    ],
)
def test_a_wrong_event_is_a_validation_error(
    staff: Person, clock: FakeClock, changes: dict[str, Any]
):
    response = staff.post(EVENTS, json=event_body(clock, **changes))

    assert response.status_code == 422, response.text
    assert problem_code(response) == "validation_error"


def test_a_venue_without_a_district_needs_one(staff: Person, clock: FakeClock):
    body = event_body(clock)
    del body["district"]

    response = staff.post(EVENTS, json=body)

    assert response.status_code == 422 and problem_code(response) == "validation_error"


def test_an_id_in_use_is_event_exists(staff: Person):
    create_event(staff, id="evt-once")

    response = staff.post(EVENTS, json=event_body(staff.clock, id="evt-once"))

    assert response.status_code == 409 and problem_code(response) == "event_exists"


def test_an_event_ending_is_not_republished_by_the_marking(
    person: Any, event: dict[str, Any], app: FastAPI, clock: FakeClock
):
    someone = person("13900000001")
    signed_up(someone, event["id"])
    before = catalogue_item(app, event["id"])
    clock.now = clock() + timedelta(days=2)

    someone.get(f"{EVENTS}/{event['id']}")

    assert catalogue_item(app, event["id"]) == before
