"""Wrong codes cannot be raced: 200 guesses at once, at a phone's sign-in code or by one helper
at consent codes.

Against the real reference backend over HTTP, on a SQLite file and on PostgreSQL (where two
transactions that each read the count and then add one would both pass the check). Each guess
is counted before it is judged, atomically, so exactly five are judged.
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
from backend.demo_users import RESIDENT_PHONE
from backend.embedded import EmbeddedBackend
from backend.main import load_keys
from backend.proxy.limits import PER_HELPER
from backend.sign_in_limits import WRONG_CODES_PER_GUESSER
from bench.at_once import API, all_at_once, http_client
from tests.databases import ENGINES, new_database_url

GUESSES = 200
PHONE = "13912340000"
HELPER_PHONE = "13912340001"
DEV_CODE = "246810"  # signs the helper in; no guess below is six digits equal to it
TIMEOUT = 60.0


@pytest.fixture(params=ENGINES)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return new_database_url(request, request.param, tmp_path)


@pytest.fixture
def backend(tmp_path: Path, db_url: str) -> Iterator[EmbeddedBackend]:
    settings = Settings(data_dir=tmp_path, db_url=db_url, seed_dir=None, dev_login_code=DEV_CODE)
    with EmbeddedBackend(settings) as backend:
        yield backend


@pytest.fixture
def clients(backend: EmbeddedBackend) -> Iterator[list[httpx.Client]]:
    clients = [http_client(backend.url, TIMEOUT) for _ in range(GUESSES)]
    yield clients
    for client in clients:
        client.close()


def guess(client: httpx.Client, n: int) -> httpx.Response:
    # No code was ever sent to the phone, so every guess is wrong (and none can be right by luck).
    body = {"phone": PHONE, "code": f"{n:06d}"}
    headers = {"Idempotency-Key": str(uuid.uuid4())}
    return client.post(f"{API}/auth/token", json=body, headers=headers)


def test_two_hundred_wrong_codes_at_once_have_five_judged(
    backend: EmbeddedBackend, db_url: str, tmp_path: Path
):
    clients = [http_client(backend.url, TIMEOUT) for _ in range(GUESSES)]
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
    engine = create_db_engine(db_url, load_keys(Settings(data_dir=tmp_path)))
    try:
        with create_session_factory(engine)() as session:
            judged = attempts_made(session, "sign_in_wrong_phone", PHONE, datetime.now(UTC))
    finally:
        engine.dispose()
    assert judged == WRONG_CODES_PER_GUESSER


def test_two_hundred_wrong_consent_codes_at_once_have_five_judged(
    clients: list[httpx.Client], db_url: str
):
    signed_in = clients[0].post(f"{API}/auth/token", json={"phone": HELPER_PHONE, "code": DEV_CODE})
    assert signed_in.status_code == 200, signed_in.text
    bearer = {"Authorization": f"Bearer {signed_in.json()['access_token']}"}

    def redeem(client: httpx.Client, n: int) -> httpx.Response:
        # No resident made a code, so every one is wrong.
        headers = {**bearer, "Idempotency-Key": str(uuid.uuid4())}
        body = {"resident_phone": RESIDENT_PHONE, "code": f"{n:08d}"}
        return client.post(f"{API}/proxy/consents", json=body, headers=headers)

    answers = all_at_once(clients, redeem, join_timeout=TIMEOUT)

    codes = Counter((r.status_code, r.json()["code"]) for r in answers)
    assert codes == {
        (409, "consent_code_invalid"): PER_HELPER,
        (429, "too_many_attempts"): GUESSES - PER_HELPER,
    }
