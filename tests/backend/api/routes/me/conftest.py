"""Fixtures of the /me route tests: a backend accepting the dev code, a fake clock, the demo users."""

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from me_support import DEV_CODE, auth

from backend.core.clock import FakeClock
from backend.core.config import Settings
from backend.demo_users import RESIDENT_PHONE, VOLUNTEER_PHONE


@pytest.fixture
def settings(db_url: str, seed_dir: Path) -> Settings:
    return Settings(db_url=db_url, seed_dir=seed_dir, dev_login_code=DEV_CODE)


@pytest.fixture
def aunt(client: TestClient, clock: FakeClock) -> dict[str, str]:
    return auth(client, RESIDENT_PHONE)


@pytest.fixture
def volunteer(client: TestClient, clock: FakeClock) -> dict[str, str]:
    return auth(client, VOLUNTEER_PHONE)
