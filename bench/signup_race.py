"""Many people signing up for one event at the same moment, over real HTTP.

Shared by the sign-up bench (``bench/events.py``) and the fairness test
(``tests/service/test_event_signup_race.py``), so both race exactly the same way: each person has
their own signed-in keep-alive connection, Idempotency-Key and sign-up UUID, and a barrier
releases every sign-up together.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx

from bench.at_once import API, all_at_once, resend_once
from bench.claim_race import signed_in

STAFF_PHONE = "13800000009"  # the demo staff member


@dataclass(frozen=True)
class SignupResult:
    person: int  # index of the person's client
    key: str  # the Idempotency-Key sent
    signup_id: str  # the sign-up UUID sent
    status: int
    body: dict[str, Any]
    seconds: float  # from send to response


def person_phone(n: int) -> str:
    return f"1360000{n:04d}"


def signed_in_people(url: str, count: int, *, code: str, timeout: float) -> list[httpx.Client]:
    """``count`` residents, each signed in (a new account on first sign-in), one by one."""
    return [signed_in(url, person_phone(n), code=code, timeout=timeout) for n in range(count)]


def publish_event(
    staff: httpx.Client,
    start: datetime,
    *,
    capacity: int,
    title: str,
    institution_id: str = "inst-huangpu-dpf",
    district: str = "310101",
) -> str:
    """A two-hour event (staff create it); returns its id."""
    response = staff.post(
        f"{API}/events",
        json={
            "title": title,
            "summary": "并发报名测试活动。",
            "institution_id": institution_id,
            "district": district,
            "start_at": start.isoformat(),
            "end_at": (start + timedelta(hours=2)).isoformat(),
            "capacity": capacity,
        },
    )
    if response.status_code != 201:
        raise RuntimeError(f"event not published: {response.text}")
    return response.json()["id"]


def sign_up(client: httpx.Client, event_id: str, key: str, signup_id: str) -> httpx.Response:
    return resend_once(
        lambda: client.post(
            f"{API}/events/{event_id}/signups",
            json={"id": signup_id},
            headers={"Idempotency-Key": key},
        )
    )


def timed_sign_up(client: httpx.Client, event_id: str, person: int = 0) -> SignupResult:
    key, signup_id = str(uuid.uuid4()), str(uuid.uuid4())
    started = time.perf_counter()
    response = sign_up(client, event_id, key, signup_id)
    seconds = time.perf_counter() - started
    return SignupResult(person, key, signup_id, response.status_code, response.json(), seconds)


def sign_up_all_at_once(
    clients: list[httpx.Client], event_id: str, join_timeout: float | None = None
) -> list[SignupResult]:
    """Every client signs up for ``event_id`` at once; their results in client order."""
    return all_at_once(clients, lambda client, n: timed_sign_up(client, event_id, n), join_timeout)
