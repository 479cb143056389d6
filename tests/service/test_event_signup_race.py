"""Fair under load, for real: 200 people sign up for 50 places at the same moment over HTTP.

Against the real reference backend (uvicorn on a free port), on a SQLite file and on PostgreSQL. Each person has their
own connection, Idempotency-Key and sign-up UUID; a barrier releases all 200 requests together.
The count of confirmed places and the insert happen under the write lock, so exactly 50 are
confirmed and 150 wait, at positions 1..150 with no gap and no duplicate; asking again with a
new key answers the same sign-up.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from backend.core.config import DEFAULT_SEED_DIR, Settings
from backend.core.db import create_db_engine, create_session_factory
from backend.embedded import EmbeddedBackend
from backend.events.models import EventSignup
from backend.main import load_keys
from bench.claim_race import API, signed_in
from bench.signup_race import (
    STAFF_PHONE,
    publish_event,
    sign_up,
    sign_up_all_at_once,
    signed_in_people,
)
from tests.databases import ENGINES, new_database_url

PEOPLE = 200
PLACES = 50
DEV_CODE = "246810"
TIMEOUT = 60.0  # generous: 200 requests queue for one SQLite writer on a busy test machine


@pytest.fixture(params=ENGINES)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return new_database_url(request, request.param, tmp_path)


@pytest.fixture
def backend(tmp_path: Path, db_url: str) -> Iterator[EmbeddedBackend]:
    settings = Settings(
        data_dir=tmp_path, db_url=db_url, seed_dir=DEFAULT_SEED_DIR, dev_login_code=DEV_CODE
    )
    with EmbeddedBackend(settings) as backend:
        yield backend


@pytest.fixture
def people(backend: EmbeddedBackend) -> Iterator[list[httpx.Client]]:
    clients = signed_in_people(backend.url, PEOPLE, code=DEV_CODE, timeout=TIMEOUT)
    yield clients
    for client in clients:
        client.close()


@pytest.fixture
def staff(backend: EmbeddedBackend) -> Iterator[httpx.Client]:
    client = signed_in(backend.url, STAFF_PHONE, code=DEV_CODE, timeout=TIMEOUT)
    yield client
    client.close()


def test_two_hundred_concurrent_sign_ups_for_fifty_places(
    backend: EmbeddedBackend,
    staff: httpx.Client,
    people: list[httpx.Client],
    db_url: str,
    tmp_path: Path,
):
    start = datetime.now(UTC) + timedelta(days=2)
    event_id = publish_event(staff, start, capacity=PLACES, title="并发报名")

    results = sign_up_all_at_once(people, event_id, join_timeout=TIMEOUT * 2)

    assert Counter(r.status for r in results) == {201: PEOPLE}, [
        (r.status, r.body.get("code")) for r in results if r.status != 201
    ]
    states = Counter(r.body["state"] for r in results)
    assert states == {"confirmed": PLACES, "waitlisted": PEOPLE - PLACES}
    positions = sorted(
        r.body["waitlist_position"] for r in results if r.body["state"] == "waitlisted"
    )
    assert positions == list(range(1, PEOPLE - PLACES + 1)), "no gap, no duplicate"
    assert all(r.body["id"] == r.signup_id for r in results), "each client's UUID kept"
    assert len({r.body["personal_code"] for r in results}) == PEOPLE

    shown = staff.get(f"{API}/events/{event_id}").json()
    assert (shown["confirmed"], shown["waitlisted"], shown["places_left"]) == (PLACES, 150, 0)

    # Asking again: the same key replays, a new key answers the same sign-up (no second row).
    someone = results[PLACES + 7]
    client = people[someone.person]
    replay = sign_up(client, event_id, someone.key, someone.signup_id)
    assert replay.status_code == 201 and replay.headers["idempotent-replayed"] == "true"
    assert replay.json() == someone.body
    again = sign_up(
        client,
        event_id,
        "00000000-0000-4000-8000-000000000001",
        "00000000-0000-4000-8000-000000000002",
    )
    assert again.status_code == 200 and again.json()["id"] == someone.signup_id
    assert again.json()["waitlist_position"] == someone.body["waitlist_position"]

    engine = create_db_engine(db_url, load_keys(Settings(data_dir=tmp_path)))
    try:
        with create_session_factory(engine)() as session:
            rows = session.scalar(
                select(func.count())
                .select_from(EventSignup)
                .where(EventSignup.event_id == event_id)
            )
    finally:
        engine.dispose()
    assert rows == PEOPLE
