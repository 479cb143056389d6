"""Wrong codes cannot be raced: 200 guesses at one phone's code, from one address, at once.

Against the real reference backend over HTTP, on a SQLite file and on PostgreSQL (where two
transactions that each read the count and then add one would both pass the check). Each guess
is counted before it is judged, atomically, so exactly five are judged: four are told how many
tries are left, the fifth and every later one are locked out, and the phone's count of judged
wrong codes is five.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from backend.core.attempts import attempts_made
from backend.core.config import Settings
from backend.core.db import create_db_engine, create_session_factory
from backend.embedded import EmbeddedBackend
from backend.sign_in_limits import WRONG_CODES_PER_GUESSER
from bench.at_once import API, all_at_once
from tests.databases import ENGINES, new_database_url

GUESSES = 200
PHONE = "13912340000"
TIMEOUT = 60.0


@pytest.fixture(params=ENGINES)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return new_database_url(request, request.param, tmp_path)


@pytest.fixture
def backend(tmp_path: Path, db_url: str) -> Iterator[EmbeddedBackend]:
    with EmbeddedBackend(Settings(data_dir=tmp_path, db_url=db_url, seed_dir=None)) as backend:
        yield backend


def guess(client: httpx.Client, n: int) -> httpx.Response:
    # No code was ever sent to the phone, so every guess is wrong (and none can be right by luck).
    body = {"phone": PHONE, "code": f"{n:06d}"}
    headers = {"Idempotency-Key": str(uuid.uuid4())}
    return client.post(f"{API}/auth/token", json=body, headers=headers)


def test_two_hundred_wrong_codes_at_once_have_five_judged(backend: EmbeddedBackend, db_url: str):
    clients = [httpx.Client(base_url=backend.url, timeout=TIMEOUT) for _ in range(GUESSES)]
    try:
        answers = all_at_once(clients, guess, join_timeout=TIMEOUT)
    finally:
        for client in clients:
            client.close()

    codes = Counter((r.status_code, r.json()["code"]) for r in answers)
    judged_and_left = WRONG_CODES_PER_GUESSER - 1
    assert codes == {
        (401, "invalid_code"): judged_and_left,
        (429, "locked_out"): GUESSES - judged_and_left,
    }
    left = sorted(r.json()["tries_left"] for r in answers if r.status_code == 401)
    assert left == [1, 2, 3, 4], "each judged guess had its own count"
    engine = create_db_engine(db_url)
    try:
        with create_session_factory(engine)() as session:
            judged = attempts_made(session, "sign_in_wrong_phone", PHONE, datetime.now(UTC))
    finally:
        engine.dispose()
    assert judged == WRONG_CODES_PER_GUESSER
