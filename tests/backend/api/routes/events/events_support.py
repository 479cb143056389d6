"""Helpers of the /events tests: people who sign in again as the frozen clock moves, a valid
event body, and the requests the tests repeat. (A unique module name: tests/ has no packages.)"""

import uuid
from datetime import datetime
from typing import Any

from fastapi.testclient import TestClient
from route_support import API, EVENTS, Person, create_staff_event
from route_support import VENUE as VENUE
from route_support import event_body as event_body

DOOR = f"{API}/door/today"
MY_SIGNUPS = f"{API}/me/signups"
MY_ATTENDANCE = f"{API}/me/attendance"
NOTIFICATIONS = f"{API}/me/notifications"
STRANGER_PHONE = "15000000000"


def create_event(staff: Person, **changes: Any) -> dict[str, Any]:
    """Staff create an event; returns it (with its code; 201 asserted)."""
    return create_staff_event(staff, **changes)


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
