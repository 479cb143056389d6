"""First wins, for real: 50 volunteers claim one trip at the same moment over HTTP.

Against the real reference backend (uvicorn, SQLite file). Each volunteer has their own
connection and Idempotency-Key; a barrier releases all 50 requests together. Exactly one wins,
the 49 others are told ``409 trip_taken``, and retries change nothing.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import func, select
from sync_support import DEV_CODE, BackendServer

from backend.demo_users import RESIDENT_PHONE
from backend.models import ActivityEntry
from backend.notify.models import Notification
from backend.trips.models import Trip

VOLUNTEERS = 50
API = "/api/v1"
TIMEOUT = 30.0  # generous: 50 requests queue for one SQLite writer on a busy test machine


@dataclass(frozen=True)
class Claim:
    volunteer: int
    key: str
    status: int
    body: dict


def sign_in(client: httpx.Client, phone: str) -> None:
    response = client.post(f"{API}/auth/token", json={"phone": phone, "code": DEV_CODE})
    assert response.status_code == 200, response.text
    client.headers["Authorization"] = f"Bearer {response.json()['access_token']}"


def volunteer_client(url: str, n: int) -> httpx.Client:
    """A signed-in, verified volunteer (the backend verifies at once in dev mode)."""
    phone = f"1370000{n:04d}"
    client = httpx.Client(base_url=url, timeout=TIMEOUT)
    sign_in(client, phone)
    response = client.post(
        f"{API}/volunteers",
        json={
            "real_name": f"志愿者{n}",
            "id_number": "11010519491231002X",
            "phone": phone,
            "skills": ["sighted_guide"],
            "districts": ["310101"],
            "availability": ["weekend"],
        },
    )
    assert response.status_code == 201 and response.json()["status"] == "verified", response.text
    return client


def claim(client: httpx.Client, trip_id: str, key: str) -> httpx.Response:
    return client.post(f"{API}/trips/{trip_id}/claim", headers={"Idempotency-Key": key})


@pytest.fixture
def resident(backend: BackendServer) -> httpx.Client:
    client = httpx.Client(base_url=backend.url, timeout=TIMEOUT)
    sign_in(client, RESIDENT_PHONE)
    yield client
    client.close()


@pytest.fixture
def volunteers(backend: BackendServer) -> list[httpx.Client]:
    clients = [volunteer_client(backend.url, n) for n in range(VOLUNTEERS)]
    yield clients
    for client in clients:
        client.close()


def claim_all_at_once(volunteers: list[httpx.Client], trip_id: str) -> list[Claim]:
    barrier = threading.Barrier(len(volunteers))
    claims: list[Claim | None] = [None] * len(volunteers)

    def run(n: int) -> None:
        client, key = volunteers[n], str(uuid.uuid4())
        client.get(f"{API}/health").raise_for_status()  # connection open before the start
        barrier.wait()
        response = claim(client, trip_id, key)
        claims[n] = Claim(n, key, response.status_code, response.json())

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(volunteers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT * 2)
    assert all(c is not None for c in claims), "a claim never returned"
    return [c for c in claims if c is not None]


def test_fifty_concurrent_claims_have_exactly_one_winner(
    backend: BackendServer, resident: httpx.Client, volunteers: list[httpx.Client]
):
    start = datetime.now(UTC) + timedelta(hours=2)
    asked = resident.post(
        f"{API}/trips",
        json={
            "from_place": "人民广场",
            "to_place": "瑞金医院",
            "start_at": start.isoformat(),
            "district": "310101",
            "needs": ["sighted_guide"],
            "contact_phone": RESIDENT_PHONE,
        },
    )
    assert asked.status_code == 201, asked.text
    trip_id = asked.json()["id"]

    claims = claim_all_at_once(volunteers, trip_id)

    winners = [c for c in claims if c.status == 200]
    losers = [c for c in claims if c.status != 200]
    assert len(winners) == 1, [(c.status, c.body.get("code")) for c in claims]
    assert [(c.status, c.body["code"]) for c in losers] == [(409, "trip_taken")] * 49
    won = winners[0]
    assert won.body["state"] == "claimed"
    assert won.body["volunteer"]["name"] == f"志愿者{won.volunteer}"
    seen = resident.get(f"{API}/trips/{trip_id}").json()
    assert seen["volunteer"]["name"] == f"志愿者{won.volunteer}"
    assert seen["code_word"] == won.body["code_word"]

    winner = volunteers[won.volunteer]
    replay = claim(winner, trip_id, won.key)
    assert replay.status_code == 200 and replay.headers["idempotent-replayed"] == "true"
    assert replay.json() == won.body
    fresh = claim(winner, trip_id, str(uuid.uuid4()))
    assert fresh.status_code == 200 and fresh.json()["code_word"] == won.body["code_word"]
    loser = losers[0]
    for key in (loser.key, str(uuid.uuid4())):
        retry = claim(volunteers[loser.volunteer], trip_id, key)
        assert (retry.status_code, retry.json()["code"]) == (409, "trip_taken")

    with backend.session() as session:  # one claim's effects, once
        trip = session.get(Trip, trip_id)
        assert trip is not None and trip.state == "claimed" and trip.version == 2
        claimed = session.scalar(
            select(func.count())
            .select_from(ActivityEntry)
            .where(ActivityEntry.action == "trip_claimed", ActivityEntry.target == trip_id)
        )
        told = session.scalars(
            select(Notification.kind).where(Notification.trip_id == trip_id)
        ).all()
    assert claimed == 1 and told == ["trip_claimed"]
