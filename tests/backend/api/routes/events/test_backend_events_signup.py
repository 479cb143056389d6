"""POST /events/{id}/signups: confirmed while places last, then the wait-list in order; a repeat is
the same sign-up; the deadline and the start close sign-up, each at its edge."""

import asyncio
import threading
import uuid
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import httpx
import pytest
from events_support import (
    EVENTS,
    Person,
    at,
    cancel,
    event_body,
    my_signups,
    public_event,
    sign_up,
    signed_up,
)
from fastapi import FastAPI
from fastapi.testclient import TestClient
from route_support import problem_code
from sqlalchemy.orm import Session

from backend import crud as catalogue
from backend.core.clock import FakeClock
from backend.core.db import writer
from backend.core.group_commit import GroupCommit
from backend.core.problems import ProblemError
from backend.events import crud as events_crud
from backend.events import signups
from tests.async_support import run_async


def test_places_are_confirmed_until_full_then_people_wait_in_order(
    client: TestClient, person: Any, event: dict[str, Any]
):
    people = [person(f"1390000000{n}") for n in range(4)]

    answers = [signed_up(p, event["id"]) for p in people]

    assert [(a["state"], a["waitlist_position"]) for a in answers] == [
        ("confirmed", None),
        ("confirmed", None),
        ("waitlisted", 1),
        ("waitlisted", 2),
    ]
    first = answers[0]
    assert first["event_id"] == event["id"] and first["event_title"] == event["title"]
    assert first["start_at"] == event["start_at"] and first["end_at"] == event["end_at"]
    assert len(first["personal_code"]) == 6 and first["personal_code"].isdigit()
    assert len({a["personal_code"] for a in answers}) == 4, "unique within the event"
    assert first["checked_in_at"] is None and first["attendance"] is None
    assert first["excuse"] is None and first["appeal"] is None and first["guide_trip_id"] is None
    assert first["version"] == 1
    counts = public_event(client, event["id"])
    assert (counts["confirmed"], counts["waitlisted"], counts["places_left"]) == (2, 2, 0)


def test_the_clients_id_is_kept(aunt: Person, event: dict[str, Any]):
    signup_id = str(uuid.uuid4())

    response = aunt.post(f"{EVENTS}/{event['id']}/signups", json={"id": signup_id})

    assert response.status_code == 201 and response.json()["id"] == signup_id
    assert [s["id"] for s in my_signups(aunt)] == [signup_id]


def test_a_body_is_optional(aunt: Person, event: dict[str, Any]):
    response = aunt.post(f"{EVENTS}/{event['id']}/signups")

    assert response.status_code == 201, response.text
    uuid.UUID(response.json()["id"])


def test_signing_up_again_with_a_new_key_is_the_same_sign_up_not_a_second(
    client: TestClient, aunt: Person, event: dict[str, Any]
):
    first = signed_up(aunt, event["id"])

    again = sign_up(aunt, event["id"])

    assert again.status_code == 200 and again.json() == first
    assert public_event(client, event["id"])["confirmed"] == 1
    assert len(my_signups(aunt)) == 1


def test_the_same_key_replays_the_first_answer(aunt: Person, event: dict[str, Any]):
    key = str(uuid.uuid4())
    body = {"id": str(uuid.uuid4())}
    first = aunt.post(f"{EVENTS}/{event['id']}/signups", json=body, key=key)

    replay = aunt.post(f"{EVENTS}/{event['id']}/signups", json=body, key=key)

    assert first.status_code == replay.status_code == 201
    assert replay.headers["idempotent-replayed"] == "true"
    assert replay.json() == first.json()


def test_signing_up_after_cancelling_reactivates_the_row_at_the_end_of_the_queue(
    person: Any, event: dict[str, Any]
):
    a, b, c = (person(f"1390000000{n}") for n in range(3))
    mine = signed_up(a, event["id"])
    signed_up(b, event["id"])
    signed_up(c, event["id"])  # waits first
    assert cancel(a, event["id"]).json()["state"] == "cancelled"  # c moves up

    back = sign_up(a, event["id"])

    assert back.status_code == 201, back.text
    again = back.json()
    assert again["id"] == mine["id"] and again["personal_code"] == mine["personal_code"]
    assert (again["state"], again["waitlist_position"]) == ("waitlisted", 1)
    assert again["version"] == mine["version"] + 2


def test_a_cancelled_place_taken_back_while_places_are_free_is_confirmed(
    aunt: Person, event: dict[str, Any]
):
    signed_up(aunt, event["id"])
    cancel(aunt, event["id"])

    assert sign_up(aunt, event["id"]).json()["state"] == "confirmed"


@pytest.mark.parametrize(
    ("after_deadline", "status"),
    [(timedelta(0), 201), (timedelta(seconds=1), 409)],
    ids=["at the deadline", "a second later"],
)
def test_sign_up_closes_after_its_deadline(
    aunt: Person, clock: FakeClock, event: dict[str, Any], after_deadline: timedelta, status: int
):
    clock.now = at(event["signup_deadline"]) + after_deadline

    response = sign_up(aunt, event["id"])

    assert response.status_code == status, response.text
    if status == 409:
        assert problem_code(response) == "signup_closed"


@pytest.mark.parametrize(
    ("before_start", "status"),
    [(timedelta(seconds=1), 201), (timedelta(0), 409)],
    ids=["a second before the start", "at the start"],
)
def test_sign_up_closes_at_the_start_even_without_an_earlier_deadline(
    staff: Person,
    aunt: Person,
    clock: FakeClock,
    before_start: timedelta,
    status: int,
):
    event = create_event_without_deadlines(staff, clock)
    clock.now = at(event["start_at"]) - before_start

    response = sign_up(aunt, event["id"])

    assert response.status_code == status, response.text
    if status == 409:
        assert problem_code(response) == "signup_closed"


def create_event_without_deadlines(staff: Person, clock: FakeClock) -> dict[str, Any]:
    body = event_body(clock)
    del body["signup_deadline"], body["cancel_deadline"]
    response = staff.post(EVENTS, json=body)
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["signup_deadline"] == created["cancel_deadline"] == created["start_at"]
    return created


def test_someone_signed_up_asking_again_after_the_deadline_gets_their_sign_up(
    aunt: Person, clock: FakeClock, event: dict[str, Any]
):
    first = signed_up(aunt, event["id"])
    clock.now = at(event["start_at"]) + timedelta(minutes=5)

    again = sign_up(aunt, event["id"])

    assert again.status_code == 200 and again.json()["id"] == first["id"]


def test_no_such_event_is_not_found(aunt: Person):
    response = sign_up(aunt, "evt-nothing")

    assert response.status_code == 404 and problem_code(response) == "not_found"


def test_signing_up_needs_sign_in(client: TestClient, event: dict[str, Any]):
    response = client.post(f"{EVENTS}/{event['id']}/signups", json={})

    assert response.status_code == 401 and problem_code(response) == "unauthorized"


def test_my_signups_lists_mine_soonest_first_cancelled_too(
    staff: Person, aunt: Person, clock: FakeClock
):
    later = staff.post(EVENTS, json=_body(clock, days=3, title="后天的活动")).json()
    sooner = staff.post(EVENTS, json=_body(clock, days=1, title="明天的活动")).json()
    signed_up(aunt, later["id"])
    signed_up(aunt, sooner["id"])
    cancel(aunt, sooner["id"])

    listed = my_signups(aunt)

    assert [(s["event_title"], s["state"]) for s in listed] == [
        ("明天的活动", "cancelled"),
        ("后天的活动", "confirmed"),
    ]


def _body(clock: FakeClock, *, days: int, title: str) -> dict[str, Any]:
    start = clock() + timedelta(days=days)
    return event_body(
        clock,
        title=title,
        start_at=start.isoformat(),
        end_at=(start + timedelta(hours=1)).isoformat(),
        signup_deadline=None,
        cancel_deadline=None,
    )


def arriving_together(
    app: FastAPI, event_id: str, requests: list[tuple[dict[str, str], dict[str, Any]]]
) -> list[httpx.Response]:
    """The first of ``requests`` (headers, body) is sent and its batch held running until the
    others are all waiting for the next one: they are then made together, in this order."""
    first_running, go = threading.Event(), threading.Event()
    run_batch = app.state.signups_together.run_batch

    def held_first(group: str, jobs: Sequence[Any]) -> Any:
        if not first_running.is_set():
            first_running.set()
            assert go.wait(30)
        return run_batch(group, jobs)

    together = app.state.signups_together = GroupCommit(held_first)

    async def send_all() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://sunshine") as http:
            sent: list[asyncio.Task[httpx.Response]] = []
            for headers, body in requests:
                post = http.post(f"{EVENTS}/{event_id}/signups", json=body, headers=headers)
                sent.append(asyncio.create_task(post))
                if len(sent) == 1:
                    assert await asyncio.to_thread(first_running.wait, 30)
                else:  # queued in order
                    async with asyncio.timeout(30):
                        while together.waiting(event_id) < len(sent) - 1:
                            await asyncio.sleep(0.01)
            go.set()
            return list(await asyncio.gather(*sent))

    return run_async(send_all())


def test_sign_ups_arriving_together_are_made_in_one_transaction(
    app: FastAPI, person: Any, event: dict[str, Any], session: Session
):
    """Group commit: while one sign-up's batch runs, the four arriving meanwhile wait and are
    then made together, each decided as if alone (2 places: 2 confirmed, 3 waiting at 1..3)
    and the event published once for the four."""
    headers = [person(f"1390000001{n}").write() for n in range(5)]
    version_before = catalogue.get_item(session, "event", event["id"]).version

    answers = arriving_together(app, event["id"], [(h, {}) for h in headers])

    assert [a.status_code for a in answers] == [201] * 5
    assert [(a.json()["state"], a.json()["waitlist_position"]) for a in answers] == [
        ("confirmed", None),
        ("confirmed", None),
        ("waitlisted", 1),
        ("waitlisted", 2),
        ("waitlisted", 3),
    ]
    session.rollback()  # a new snapshot
    assert catalogue.get_item(session, "event", event["id"]).version == version_before + 2
    again = TestClient(app).post(f"{EVENTS}/{event['id']}/signups", json={}, headers=headers[3])
    assert again.headers["Idempotent-Replayed"] == "true" and again.json() == answers[3].json()


def test_one_key_twice_in_one_batch_is_made_once_and_reused_for_another_request_refused(
    app: FastAPI, person: Any, event: dict[str, Any]
):
    first, second = person("13900000120").write(), person("13900000121").write()
    signup_id = str(uuid.uuid4())

    answers = arriving_together(
        app,
        event["id"],
        [
            (first, {}),
            (second, {"id": signup_id}),
            (second, {"id": signup_id}),  # the same request again: replayed
            (second, {"id": str(uuid.uuid4())}),  # the same key for another request
        ],
    )

    made, replayed, reused = answers[1:]
    assert made.status_code == 201 and "Idempotent-Replayed" not in made.headers
    assert replayed.status_code == 201 and replayed.headers["Idempotent-Replayed"] == "true"
    assert replayed.json() == made.json() and made.json()["id"] == signup_id
    assert reused.status_code == 422 and problem_code(reused) == "idempotency_key_reused"


def test_a_refused_sign_up_among_others_changes_nothing_and_the_others_go_on(
    app: FastAPI, clock: FakeClock, event: dict[str, Any], session: Session
):
    people = [catalogue.get_or_create_user(session, f"1390000002{n}") for n in range(4)]
    session.commit()
    on_time = clock()
    late = at(event["signup_deadline"]) + timedelta(minutes=1)
    asks = [
        signups.SignupAsk(p, str(uuid.uuid4()), late if n == 1 else on_time, None)
        for n, p in enumerate(people)
    ]
    with app.state.session_factory(bind=writer(app.state.engine)) as writing:
        together = signups.SignupsTogether(writing, event["id"])
        outcomes: list[signups.SignedUp | ProblemError] = []
        for ask in asks:
            try:
                outcomes.append(together.sign_up(ask))
            except ProblemError as refusal:
                outcomes.append(refusal)
        together.publish()
        made = [
            (o.signup.user_id, o.signup.state, o.signup.queue_seq, o.position)
            for o in outcomes
            if isinstance(o, signups.SignedUp)
        ]
        writing.commit()

    assert isinstance(outcomes[1], ProblemError) and outcomes[1].code == "signup_closed"
    assert made == [
        (people[0].id, "confirmed", 1, None),
        (people[2].id, "confirmed", 2, None),
        (people[3].id, "waitlisted", 3, 1),
    ]
    assert events_crud.signup_of(session, event["id"], people[1].id) is None
    assert public_event(TestClient(app), event["id"])["waitlisted"] == 1
