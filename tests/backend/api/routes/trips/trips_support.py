"""Helpers of the /trips tests: a valid trip body, asking for a trip and acting on it."""

import uuid
from typing import Any

from fastapi.testclient import TestClient
from route_support import API, trip_body

from backend.core.clock import FakeClock

TRIPS = f"{API}/trips"
NOTIFICATIONS = f"{API}/me/notifications"
SECOND_VOLUNTEER_PHONE = "13700000002"
STRANGER_PHONE = "15000000000"


def ask(client: TestClient, headers: dict[str, str], clock: FakeClock, **changes: Any) -> dict:
    """Ask for a trip; returns it (201 asserted)."""
    response = client.post(TRIPS, headers=headers, json=trip_body(clock, **changes))
    assert response.status_code == 201, response.text
    return response.json()


def act(
    client: TestClient,
    headers: dict[str, str],
    trip_id: str,
    action: str,
    json: dict[str, Any] | None = None,
    key: str | None = None,
) -> Any:
    """POST /trips/{id}/{action}, with a fresh Idempotency-Key unless one is given."""
    return client.post(
        f"{TRIPS}/{trip_id}/{action}",
        headers={**headers, "Idempotency-Key": key or str(uuid.uuid4())},
        json=json,
    )


def done(client: TestClient, headers: dict[str, str], trip_id: str, action: str, **kw: Any) -> dict:
    """Act and assert it worked; returns the trip."""
    response = act(client, headers, trip_id, action, **kw)
    assert response.status_code == 200, response.text
    return response.json()


def get_trip(client: TestClient, headers: dict[str, str], trip_id: str) -> Any:
    return client.get(f"{TRIPS}/{trip_id}", headers=headers)


def notifications(client: TestClient, headers: dict[str, str]) -> list[dict[str, Any]]:
    response = client.get(NOTIFICATIONS, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]
