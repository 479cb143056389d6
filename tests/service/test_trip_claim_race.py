"""First wins, for real: 50 volunteers claim one trip at the same moment over HTTP.

Against the real reference backend (uvicorn), on a SQLite file and on PostgreSQL. Each volunteer has their own
connection and Idempotency-Key; a barrier releases all 50 requests together. Exactly one wins,
the 49 others are told ``409 trip_taken``, and retries change nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select
from sync_support import DEV_CODE, BackendServer

from backend.demo_users import RESIDENT_PHONE
from backend.models import ActivityEntry
from backend.notify.models import Notification
from backend.trips.models import Trip
from bench.claim_race import (
    API,
    claim,
    claim_all_at_once,
    publish_trip,
    signed_in,
    verified_volunteer,
)
from tests.databases import ENGINES, new_database_url

VOLUNTEERS = 50
TIMEOUT = 30.0  # generous: 50 requests queue for one SQLite writer on a busy test machine


@pytest.fixture(params=ENGINES)
def backend(
    request: pytest.FixtureRequest,
    make_backend: Callable[..., BackendServer],
    small_seed_dir: Path,
    tmp_path: Path,
) -> BackendServer:
    database_url = new_database_url(request, request.param, tmp_path)
    return make_backend(small_seed_dir, database_url=database_url)


@pytest.fixture
def resident(backend: BackendServer) -> httpx.Client:
    client = signed_in(backend.url, RESIDENT_PHONE, code=DEV_CODE, timeout=TIMEOUT)
    yield client
    client.close()


@pytest.fixture
def volunteers(backend: BackendServer) -> list[httpx.Client]:
    clients = [
        verified_volunteer(backend.url, n, code=DEV_CODE, timeout=TIMEOUT)
        for n in range(VOLUNTEERS)
    ]
    yield clients
    for client in clients:
        client.close()


def test_fifty_concurrent_claims_have_exactly_one_winner(
    backend: BackendServer, resident: httpx.Client, volunteers: list[httpx.Client]
):
    start = datetime.now(UTC) + timedelta(hours=2)
    trip_id = publish_trip(resident, start, from_place="人民广场", phone=RESIDENT_PHONE)

    claims = claim_all_at_once(volunteers, trip_id, join_timeout=TIMEOUT * 2)

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
