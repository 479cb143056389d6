"""Helpers of the consent tests: people who sign in again as the frozen clock moves and may act
for someone, a valid event, and the requests the tests repeat. (A unique module name.)"""

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from route_support import API, auth

from backend.core.clock import FakeClock

CODES = f"{API}/me/consent-codes"
PROXY = f"{API}/proxy/consents"
MY_CONSENTS = f"{API}/me/consents"
EVENTS = f"{API}/events"
VENUE = "inst-sunshine-home"
HELPER_PHONE = "15000000007"
TOKEN_REFRESH = timedelta(minutes=10)


@dataclass
class Person:
    """Someone signed in on ``client``; ``act_for`` adds X-Act-For to every request."""

    client: TestClient
    clock: FakeClock
    phone: str
    act_for: str | None = None
    _headers: dict[str, str] = field(default_factory=dict)
    _signed_at: datetime | None = None

    @property
    def headers(self) -> dict[str, str]:
        now = self.clock()
        if self._signed_at is None or not (now - TOKEN_REFRESH < self._signed_at <= now):
            self._headers = auth(self.client, self.phone)
            self._signed_at = now
        acting = {} if self.act_for is None else {"X-Act-For": self.act_for}
        return {**self._headers, **acting}

    def write(self, key: str | None = None, **extra: str) -> dict[str, str]:
        return {**self.headers, "Idempotency-Key": key or str(uuid.uuid4()), **extra}

    def get(self, path: str) -> Any:
        return self.client.get(path, headers=self.headers)

    def post(self, path: str, json: Any = None, key: str | None = None, **extra: str) -> Any:
        return self.client.post(path, headers=self.write(key, **extra), json=json)

    def patch(self, path: str, json: Any = None, key: str | None = None, **extra: str) -> Any:
        return self.client.patch(path, headers=self.write(key, **extra), json=json)

    def delete(self, path: str, key: str | None = None) -> Any:
        return self.client.delete(path, headers=self.write(key))

    def me(self) -> dict[str, Any]:
        response = self.get(f"{API}/me")
        assert response.status_code == 200, response.text
        return response.json()


def make_code(resident: Person, lasts: str | None = None, key: str | None = None) -> Any:
    body = None if lasts is None else {"lasts": lasts}
    return resident.post(CODES, json=body, key=key)


def new_code(resident: Person, lasts: str | None = None) -> str:
    response = make_code(resident, lasts)
    assert response.status_code == 201, response.text
    return response.json()["code"]


def redeem(helper: Person, code: str, key: str | None = None) -> Any:
    return helper.post(PROXY, json={"code": code}, key=key)


def consent_between(resident: Person, helper: Person, lasts: str | None = None) -> dict[str, Any]:
    response = redeem(helper, new_code(resident, lasts))
    assert response.status_code == 201, response.text
    return response.json()


def my_consents(resident: Person) -> list[dict[str, Any]]:
    response = resident.get(MY_CONSENTS)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def event_body(clock: FakeClock, **changes: Any) -> dict[str, Any]:
    """Tomorrow, 2 places; sign-up closes an hour before the start."""
    start = clock() + timedelta(days=1)
    return {
        "title": "阳光之家手工编织小组",
        "summary": "社工带大家编织杯垫。",
        "institution_id": VENUE,
        "room": "二楼活动室",
        "district": "310101",
        "start_at": start.isoformat(),
        "end_at": (start + timedelta(hours=2)).isoformat(),
        "capacity": 2,
        "signup_deadline": (start - timedelta(hours=1)).isoformat(),
        "cancel_deadline": (start - timedelta(hours=2)).isoformat(),
        "provides": [],
        **changes,
    }


def create_event(staff: Person, **changes: Any) -> dict[str, Any]:
    response = staff.post(EVENTS, json=event_body(staff.clock, **changes))
    assert response.status_code == 201, response.text
    return response.json()


def sign_up(person: Person, event_id: str, key: str | None = None) -> Any:
    return person.post(f"{EVENTS}/{event_id}/signups", json={"id": str(uuid.uuid4())}, key=key)
