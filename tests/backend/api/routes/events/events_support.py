"""Helpers of the /events tests: people who sign in again as the frozen clock moves, a valid
event body, and the requests the tests repeat. (A unique module name: tests/ has no packages.)"""

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from route_support import API, auth

from backend.core.clock import FakeClock

EVENTS = f"{API}/events"
DOOR = f"{API}/door/today"
MY_SIGNUPS = f"{API}/me/signups"
MY_ATTENDANCE = f"{API}/me/attendance"
NOTIFICATIONS = f"{API}/me/notifications"
VENUE = "inst-sunshine-home"  # in the test seed's institutions
STRANGER_PHONE = "15000000000"
TOKEN_REFRESH = timedelta(minutes=10)  # access tokens live 15 minutes


@dataclass
class Person:
    """Someone signed in on ``client``; ``headers`` signs in again once the clock has moved on."""

    client: TestClient
    clock: FakeClock
    phone: str
    _headers: dict[str, str] = field(default_factory=dict)
    _signed_at: datetime | None = None

    @property
    def headers(self) -> dict[str, str]:
        now = self.clock()
        if self._signed_at is None or not (now - TOKEN_REFRESH < self._signed_at <= now):
            self._headers = auth(self.client, self.phone)
            self._signed_at = now
        return self._headers

    def write(self, key: str | None = None) -> dict[str, str]:
        """Headers for a write: a fresh Idempotency-Key unless one is given."""
        return {**self.headers, "Idempotency-Key": key or str(uuid.uuid4())}

    def get(self, path: str) -> Any:
        return self.client.get(path, headers=self.headers)

    def post(self, path: str, json: Any = None, key: str | None = None) -> Any:
        return self.client.post(path, headers=self.write(key), json=json)

    def delete(self, path: str, key: str | None = None) -> Any:
        return self.client.delete(path, headers=self.write(key))


def event_body(clock: FakeClock, **changes: Any) -> dict[str, Any]:
    """A valid POST /events body: tomorrow 16:00-18:00 in Shanghai, 2 places, sign-up closing
    an hour and cancelling two hours before the start."""
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
        "provides": ["现场手语翻译", "可带导盲犬"],
        **changes,
    }


def create_event(staff: Person, **changes: Any) -> dict[str, Any]:
    """Staff create an event; returns it (with its code; 201 asserted)."""
    response = staff.post(EVENTS, json=event_body(staff.clock, **changes))
    assert response.status_code == 201, response.text
    return response.json()


def at(moment: str) -> datetime:
    return datetime.fromisoformat(moment)


def sign_up(person: Person, event_id: str, **kw: Any) -> Any:
    return person.post(f"{EVENTS}/{event_id}/signups", json={"id": str(uuid.uuid4())}, **kw)


def signed_up(person: Person, event_id: str) -> dict[str, Any]:
    response = sign_up(person, event_id)
    assert response.status_code == 201, response.text
    return response.json()


def cancel(person: Person, event_id: str, **kw: Any) -> Any:
    return person.delete(f"{EVENTS}/{event_id}/signups/me", **kw)


def excuse(person: Person, event_id: str, reason: str = "health", note: str | None = None) -> Any:
    return person.post(
        f"{EVENTS}/{event_id}/signups/me/excuse", json={"reason": reason, "note": note}
    )


def check_in(person: Person, event_id: str, code: str, at: str | None = None, **kw: Any) -> Any:
    return person.post(f"{EVENTS}/{event_id}/checkin", json={"code": code, "at": at}, **kw)


def check_in_attendee(staff: Person, event_id: str, signup_id: str, at: str | None = None) -> Any:
    return staff.post(f"{EVENTS}/{event_id}/attendees/{signup_id}/checkin", json={"at": at})


def undo(staff: Person, event_id: str, signup_id: str) -> Any:
    return staff.delete(f"{EVENTS}/{event_id}/attendees/{signup_id}/checkin")


def public_event(client: TestClient, event_id: str) -> dict[str, Any]:
    response = client.get(f"{EVENTS}/{event_id}")
    assert response.status_code == 200, response.text
    return response.json()


def my_signups(person: Person) -> list[dict[str, Any]]:
    response = person.get(MY_SIGNUPS)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def kinds(person: Person) -> list[str]:
    response = person.get(NOTIFICATIONS)
    assert response.status_code == 200, response.text
    return [n["kind"] for n in response.json()["items"]]


def notifications(person: Person) -> list[dict[str, Any]]:
    return person.get(NOTIFICATIONS).json()["items"]
