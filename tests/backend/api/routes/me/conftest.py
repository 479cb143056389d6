"""Fixtures of the /me route tests: a backend accepting the dev code, a fake clock, the demo users."""

import pytest
from fastapi.testclient import TestClient
from me_support import auth
from route_fixtures import dev_code_settings  # noqa: F401 (fixtures)

from backend.core.clock import FakeClock
from backend.demo_users import RESIDENT_PHONE, VOLUNTEER_PHONE


@pytest.fixture
def aunt(client: TestClient, clock: FakeClock) -> dict[str, str]:
    return auth(client, RESIDENT_PHONE)


@pytest.fixture
def volunteer(client: TestClient, clock: FakeClock) -> dict[str, str]:
    return auth(client, VOLUNTEER_PHONE)
