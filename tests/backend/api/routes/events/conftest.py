"""Fixtures of the /events tests: a backend accepting the dev code (volunteers verified at once,
as in dev mode), the frozen clock, a recording SMS provider, the people involved and an event."""

from typing import Any

import pytest
from events_support import STRANGER_PHONE, Person, create_event
from fastapi.testclient import TestClient
from route_fixtures import dev_code_settings, recording_sms  # noqa: F401 (fixtures)
from route_support import RecordingSms

from backend.core.clock import FakeClock
from backend.demo_users import RESIDENT_PHONE, STAFF_PHONE, VOLUNTEER_PHONE


@pytest.fixture
def person(client: TestClient, clock: FakeClock, sms: RecordingSms) -> Any:
    """Anyone, by phone: ``person("13900000001")``."""
    return lambda phone: Person(client, clock, phone)


@pytest.fixture
def staff(person: Any) -> Person:
    """王社工, the demo staff member."""
    return person(STAFF_PHONE)


@pytest.fixture
def aunt(person: Any) -> Person:
    """张阿姨, the demo resident (phone 13800000001)."""
    return person(RESIDENT_PHONE)


@pytest.fixture
def volunteer(person: Any) -> Person:
    """李志愿, the demo volunteer (verified): also a resident who signs up for events."""
    return person(VOLUNTEER_PHONE)


@pytest.fixture
def stranger(person: Any) -> Person:
    """A signed-in resident with no sign-ups."""
    return person(STRANGER_PHONE)


@pytest.fixture
def event(staff: Person) -> dict[str, Any]:
    """Tomorrow 16:00-18:00 Shanghai, 2 places; sign-up closes at 15:00, cancelling at 14:00."""
    return create_event(staff)
