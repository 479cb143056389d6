"""Helpers for the event service tests (tests/service/test_events_*.py): the server's clock, people
signed in on their own clients, staff creating events. A unique module name: tests/ has no
packages.

The server's "now" is a ``FakeClock`` put on the running app (``app.state.clock``, which every
route and the no-show sweep read), pinned at 10:00 Shanghai time today, so an event starting
half an hour later is on today's door list whatever the hour the tests run; the clients' own
checks (EventCommands, TripCommands) read the same clock, as a phone's clock would roughly agree.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sync_support import DEV_CODE, BackendServer, send_and_refresh

from backend.core.clock import FakeClock
from backend.demo_users import RESIDENT_PHONE, STAFF_PHONE, VOLUNTEER_PHONE
from backend.events.models import EventSignup
from services.client import PersonalServices
from services.clock import SHANGHAI
from services.sync.catalog import CatalogSync
from services.trips.commands import VolunteerForm

MakeClient = Callable[..., PersonalServices]
INSTITUTION = "inst-home"  # in SMALL_SEED


def ten_today() -> datetime:
    """10:00 in Shanghai, today, as aware UTC."""
    return datetime.combine(datetime.now(SHANGHAI).date(), time(10), SHANGHAI).astimezone(UTC)


def install_clock(backend: BackendServer, start: datetime) -> FakeClock:
    """Put a FakeClock on the running server's app (BackendServer keeps no other handle on it;
    a restart makes a new app, which gets the system clock again)."""
    assert backend._server is not None, "backend not running"
    clock = FakeClock(start)
    backend._server.config.app.state.clock = clock
    return clock


def signed_in(
    make_client: MakeClient,
    backend: BackendServer,
    clock: FakeClock,
    phone: str,
    name: str,
    transport: httpx.BaseTransport | None = None,
) -> PersonalServices:
    client = make_client(backend.url, name=name, transport=transport)
    client.account.sign_in(phone, DEV_CODE)
    client.events.now = clock
    client.trips.now = clock
    client.personal.refresh()
    pull(client)
    return client


def pull(client: PersonalServices) -> None:
    """The catalogue's changes (events and their counts) into the client's store."""
    CatalogSync(client.account.api, client.personal.store).pull()


def sync(client: PersonalServices, sent: int | None = None) -> None:
    """Send everything waiting (all accepted), then fetch what the server now holds, the
    catalogue's event counts too."""
    send_and_refresh(client, sent)
    pull(client)


def create_event(
    staff: PersonalServices, start: datetime, *, hours: float = 2, capacity: int = 30, **fields: Any
) -> dict[str, Any]:
    """``POST /events`` as staff; the answer carries the event's door code."""
    body = {
        "title": "阳光之家茶话会",
        "summary": "大家一起喝茶聊天，认识新朋友。",
        "institution_id": INSTITUTION,
        "room": "二楼活动室",
        "district": "310101",
        "start_at": start.isoformat(),
        "end_at": (start + timedelta(hours=hours)).isoformat(),
        "capacity": capacity,
        "provides": ["现场手语翻译", "可带导盲犬"],
        **fields,
    }
    return staff.account.call("POST", "/events", json=body, key=str(uuid.uuid4())).body


def server_signup(backend: BackendServer, signup_id: str) -> EventSignup:
    with backend.session() as session:
        row = session.scalar(select(EventSignup).where(EventSignup.id == signup_id))
        assert row is not None, signup_id
        session.expunge(row)
        return row


def server_signups(backend: BackendServer, event_id: str) -> list[EventSignup]:
    with backend.session() as session:
        rows = list(session.scalars(select(EventSignup).where(EventSignup.event_id == event_id)))
        for row in rows:
            session.expunge(row)
        return rows


def verified_volunteer(
    make_client: MakeClient, backend: BackendServer, clock: FakeClock
) -> PersonalServices:
    """A new user who registers as a volunteer through the outbox (dev mode verifies at once)."""
    client = signed_in(make_client, backend, clock, "13900001111", "volunteer")
    form = VolunteerForm(
        real_name="王志愿",
        id_number="31010119850615018X",
        phone="13900001111",
        skills=["sighted_guide"],
        districts=["310101"],
        availability=["weekend"],
    )
    client.trips.register_volunteer(form)
    sync(client, sent=1)
    volunteer = client.personal.view().volunteer
    assert volunteer is not None and volunteer["status"] == "verified"
    return client


def notified(client: PersonalServices, kind: str, event_id: str) -> list[dict[str, Any]]:
    """The person's notifications of a kind about an event."""
    return [
        n
        for n in client.personal.view().notifications
        if n["kind"] == kind and (n.get("data") or {}).get("event_id") == event_id
    ]


# Fixtures of the event service tests; each test module imports the ones it uses.


@pytest.fixture(name="clock")
def clock_at_ten(backend: BackendServer) -> FakeClock:
    return install_clock(backend, ten_today())


@pytest.fixture(name="staff")
def staff_client(
    make_client: MakeClient, backend: BackendServer, clock: FakeClock
) -> PersonalServices:
    return signed_in(make_client, backend, clock, STAFF_PHONE, "staff")


@pytest.fixture(name="aunt")
def aunt_client(
    make_client: MakeClient, backend: BackendServer, clock: FakeClock
) -> PersonalServices:
    return signed_in(make_client, backend, clock, RESIDENT_PHONE, "aunt")


@pytest.fixture(name="li")
def li_client(
    make_client: MakeClient, backend: BackendServer, clock: FakeClock
) -> PersonalServices:
    return signed_in(make_client, backend, clock, VOLUNTEER_PHONE, "li")
