"""Fixtures of the /trips tests: a backend accepting the dev code (and verifying volunteers at
once, as in dev mode), a fake clock, a recording SMS provider, and the people involved."""

import pytest
from fastapi.testclient import TestClient
from route_fixtures import dev_code_settings, recording_sms  # noqa: F401 (fixtures)
from route_support import RecordingSms, auth, register_volunteer
from trips_support import SECOND_VOLUNTEER_PHONE, STRANGER_PHONE

from backend.core.clock import FakeClock
from backend.demo_users import RESIDENT_PHONE, STAFF_PHONE, VOLUNTEER_PHONE


@pytest.fixture
def resident(client: TestClient, clock: FakeClock, sms: RecordingSms) -> dict[str, str]:
    """张阿姨, the demo resident, who asks for trips."""
    return auth(client, RESIDENT_PHONE)


@pytest.fixture
def volunteer(client: TestClient, clock: FakeClock, sms: RecordingSms) -> dict[str, str]:
    """李志愿, the demo volunteer: verified; sighted guide and wheelchair, no sign language."""
    return auth(client, VOLUNTEER_PHONE)


@pytest.fixture
def second_volunteer(client: TestClient, clock: FakeClock, sms: RecordingSms) -> dict[str, str]:
    """Another verified volunteer, with every skill."""
    return register_volunteer(client, SECOND_VOLUNTEER_PHONE, real_name="赵助盲")


@pytest.fixture
def stranger(client: TestClient, clock: FakeClock, sms: RecordingSms) -> dict[str, str]:
    """A signed-in resident with nothing to do with anyone's trips."""
    return auth(client, STRANGER_PHONE)


@pytest.fixture
def staff(client: TestClient, clock: FakeClock, sms: RecordingSms) -> dict[str, str]:
    """王社工, the demo staff member."""
    return auth(client, STAFF_PHONE)
