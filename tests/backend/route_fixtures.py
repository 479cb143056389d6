"""Fixtures the route tests of several resources share: a backend that accepts the dev code (and
verifies volunteers at once, as in dev mode), a recording SMS provider, and the demo people as
signed-in ``Person``s. A resource's conftest imports the ones it uses."""

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from route_support import DEV_CODE, Person, RecordingSms

from backend.core.clock import FakeClock
from backend.core.config import Settings
from backend.demo_users import RESIDENT_PHONE, STAFF_PHONE, VOLUNTEER_PHONE


@pytest.fixture(name="settings")
def dev_code_settings(db_url: str, seed_dir: Path) -> Settings:
    return Settings(db_url=db_url, seed_dir=seed_dir, dev_login_code=DEV_CODE)


@pytest.fixture(name="sms")
def recording_sms(app: Any) -> RecordingSms:
    app.state.sms = RecordingSms(app.state.session_factory)
    return app.state.sms


@pytest.fixture
def person(client: TestClient, clock: FakeClock, sms: RecordingSms) -> Any:
    """Anyone, by phone: ``person("13900000001")``."""
    return lambda phone: Person(client, clock, phone)


@pytest.fixture
def aunt(person: Any) -> Person:
    """张阿姨, the demo resident (phone 13800000001)."""
    return person(RESIDENT_PHONE)


@pytest.fixture
def staff(person: Any) -> Person:
    """王社工, the demo staff member: a clerk who may also act for residents."""
    return person(STAFF_PHONE)


@pytest.fixture
def volunteer(person: Any) -> Person:
    """李志愿, the demo volunteer (verified): also a resident who signs up for events."""
    return person(VOLUNTEER_PHONE)
