"""Fixtures of the /volunteers tests: a backend accepting the dev code and a fake clock; whether
registrations are verified at once is each test's choice (``auto_verify``)."""

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from route_support import DEV_CODE, auth

from backend.core.clock import FakeClock
from backend.core.config import Settings
from backend.demo_users import STAFF_PHONE


@pytest.fixture
def auto_verify() -> bool:
    """Override (or parametrize) to register with staff verification instead."""
    return True


@pytest.fixture
def settings(db_url: str, seed_dir: Path, auto_verify: bool) -> Settings:
    return Settings(
        db_url=db_url,
        seed_dir=seed_dir,
        dev_login_code=DEV_CODE,
        auto_verify_volunteers=auto_verify,
    )


@pytest.fixture
def staff(client: TestClient, clock: FakeClock) -> dict[str, str]:
    """王社工, the demo staff member."""
    return auth(client, STAFF_PHONE)
