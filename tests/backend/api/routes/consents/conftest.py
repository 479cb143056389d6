"""Fixtures of the consent tests: a backend accepting the dev code, the frozen clock, a
recording SMS provider, the demo resident, a helper (a plain resident), staff and a volunteer."""

from typing import Any

import pytest
from consents_support import HELPER_PHONE, Person, create_event
from fastapi.testclient import TestClient
from route_fixtures import dev_code_settings, recording_sms  # noqa: F401 (fixtures)
from route_support import RecordingSms

from backend.core.clock import FakeClock
from backend.demo_users import RESIDENT_PHONE, STAFF_PHONE, VOLUNTEER_PHONE


@pytest.fixture
def person(client: TestClient, clock: FakeClock, sms: RecordingSms) -> Any:
    return lambda phone: Person(client, clock, phone)


@pytest.fixture
def aunt(person: Any) -> Person:
    """张阿姨, the demo resident: she gives the consent."""
    return person(RESIDENT_PHONE)


@pytest.fixture
def helper(person: Any) -> Person:
    """Her niece: a plain resident who acts for her."""
    return person(HELPER_PHONE)


@pytest.fixture
def staff(person: Any) -> Person:
    """王社工, demo staff: a clerk who may also act for residents."""
    return person(STAFF_PHONE)


@pytest.fixture
def volunteer(person: Any) -> Person:
    """李志愿, the verified demo volunteer."""
    return person(VOLUNTEER_PHONE)


@pytest.fixture
def event(staff: Person) -> dict[str, Any]:
    return create_event(staff)
