"""Two backend processes on one PostgreSQL database share everything that must be shared.

Both are started at the same moment on a new database (they take turns migrating it), as
``python -m backend`` subprocesses. Half the volunteers claim a trip through one and half through
the other: exactly one wins. Wrong sign-in codes sent alternately to both are counted together:
the guesser is locked out after five, whichever process answers.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from backend.core.keys import KeyRing
from backend.demo_users import RESIDENT_PHONE
from backend.embedded import free_port
from bench.at_once import API, TLS
from bench.claim_race import claim_all_at_once, publish_trip, signed_in, verified_volunteer
from bench.deployed import wait_ready

DEV_CODE = "246810"
VOLUNTEERS = 20
TIMEOUT = 60.0
STARTUP = 90.0


class BackendProcess:
    def __init__(self, db_url: str, data_dir: Path, key_file: Path) -> None:
        self.port = free_port("127.0.0.1")
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "SUNSHINE_ENV": "dev",
            "SUNSHINE_DEV_LOGIN_CODE": DEV_CODE,
            "SUNSHINE_DATA_DIR": str(data_dir),
            "SUNSHINE_KEY_FILE": str(key_file),  # processes of one database share its keys
        }
        command = [sys.executable, "-m", "backend", "--port", str(self.port), "--db", db_url]
        self.process = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )

    def wait_until_ready(self) -> None:
        try:
            wait_ready(self.url, self.process, STARTUP)
        except RuntimeError as exc:
            if self.process.poll() is None:
                raise
            raise RuntimeError(f"backend exited: {self.process.stderr.read()}") from exc

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def backends(pg_cluster, tmp_path: Path) -> Iterator[list[BackendProcess]]:
    db_url = pg_cluster.create_database()
    key_file = tmp_path / "keys.json"
    KeyRing.create(key_file)
    started = [BackendProcess(db_url, tmp_path / f"data-{n}", key_file) for n in range(2)]
    try:
        for backend in started:
            backend.wait_until_ready()
        yield started
    finally:
        for backend in started:
            backend.stop()
        pg_cluster.drop_database(db_url)


def test_a_claim_race_across_two_processes_has_one_winner(backends: list[BackendProcess]):
    urls = [backend.url for backend in backends]
    resident = signed_in(urls[0], RESIDENT_PHONE, code=DEV_CODE, timeout=TIMEOUT)
    volunteers = [
        verified_volunteer(urls[n % 2], n, code=DEV_CODE, timeout=TIMEOUT)
        for n in range(VOLUNTEERS)
    ]
    try:
        start = datetime.now(UTC) + timedelta(hours=2)
        trip_id = publish_trip(resident, start, from_place="人民广场", phone=RESIDENT_PHONE)

        claims = claim_all_at_once(volunteers, trip_id, join_timeout=TIMEOUT * 2)

        outcomes = Counter((c.status, c.body.get("code")) for c in claims)
        assert outcomes == {(200, None): 1, (409, "trip_taken"): VOLUNTEERS - 1}
        winners = {c.volunteer % 2 for c in claims if c.status == 200}
        losers_by_process = Counter(c.volunteer % 2 for c in claims if c.status == 409)
        assert len(winners) == 1 and set(losers_by_process) == {0, 1}  # both took part
    finally:
        for client in [resident, *volunteers]:
            client.close()


def test_wrong_codes_sent_to_both_processes_are_counted_together(
    backends: list[BackendProcess],
):
    answers = []
    with httpx.Client(timeout=TIMEOUT, verify=TLS) as client:
        for n in range(8):
            url = backends[n % 2].url
            body = {"phone": "13912349999", "code": f"{n:06d}"}  # no code was sent: all wrong
            headers = {"Idempotency-Key": str(uuid.uuid4())}
            answers.append(client.post(f"{url}{API}/auth/token", json=body, headers=headers))

    assert [(a.status_code, a.json().get("tries_left")) for a in answers] == [
        (401, 4),
        (401, 3),
        (401, 2),
        (401, 1),
        *[(429, None)] * 4,
    ]
