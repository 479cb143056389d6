"""Many volunteers claiming one trip at the same moment, over real HTTP.

Shared by the claim-latency bench (``bench/trips.py``) and the first-wins test
(``tests/service/test_trip_claim_race.py``), so both race exactly the same way: each volunteer
has their own signed-in keep-alive connection and Idempotency-Key, and a barrier releases every
claim together.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx

from bench.at_once import API, all_at_once, http_client, resend_once


@dataclass(frozen=True)
class ClaimResult:
    volunteer: int  # index of the volunteer's client
    key: str  # the Idempotency-Key sent
    status: int
    body: dict[str, Any]
    seconds: float  # from send to response


def signed_in(url: str, phone: str, *, code: str, timeout: float) -> httpx.Client:
    """A client signed in with the backend's dev login code."""
    client = http_client(url, timeout)
    response = client.post(f"{API}/auth/token", json={"phone": phone, "code": code})
    response.raise_for_status()
    client.headers["Authorization"] = f"Bearer {response.json()['access_token']}"
    return client


def verified_volunteer(url: str, n: int, *, code: str, timeout: float) -> httpx.Client:
    """Volunteer ``n``, signed in and registered (verified at once, as in dev mode)."""
    phone = f"1370000{n:04d}"
    client = signed_in(url, phone, code=code, timeout=timeout)
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
    if response.status_code != 201 or response.json()["status"] != "verified":
        raise RuntimeError(f"volunteer {n} not registered and verified: {response.text}")
    return client


def publish_trip(resident: httpx.Client, start: datetime, *, from_place: str, phone: str) -> str:
    """An open trip in 黄浦区 needing a sighted guide; returns its id."""
    response = resident.post(
        f"{API}/trips",
        json={
            "from_place": from_place,
            "to_place": "瑞金医院",
            "start_at": start.isoformat(),
            "district": "310101",
            "needs": ["sighted_guide"],
            "contact_phone": phone,
        },
    )
    if response.status_code != 201:
        raise RuntimeError(f"trip not published: {response.text}")
    return response.json()["id"]


def claim(client: httpx.Client, trip_id: str, key: str) -> httpx.Response:
    return resend_once(
        lambda: client.post(f"{API}/trips/{trip_id}/claim", headers={"Idempotency-Key": key})
    )


def timed_claim(client: httpx.Client, trip_id: str, volunteer: int = 0) -> ClaimResult:
    key = str(uuid.uuid4())
    started = time.perf_counter()
    response = claim(client, trip_id, key)
    seconds = time.perf_counter() - started
    return ClaimResult(volunteer, key, response.status_code, response.json(), seconds)


def claim_all_at_once(
    clients: list[httpx.Client], trip_id: str, join_timeout: float | None = None
) -> list[ClaimResult]:
    """Every client claims ``trip_id`` at once; their results in client order."""
    return all_at_once(clients, lambda client, n: timed_claim(client, trip_id, n), join_timeout)
