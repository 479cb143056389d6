"""Fixtures the route tests of several resources share: a backend that accepts the dev code (and
verifies volunteers at once, as in dev mode) and a recording SMS provider. A resource's conftest
imports the ones it uses."""

from pathlib import Path
from typing import Any

import pytest
from route_support import DEV_CODE, RecordingSms

from backend.core.config import Settings


@pytest.fixture(name="settings")
def dev_code_settings(db_url: str, seed_dir: Path) -> Settings:
    return Settings(db_url=db_url, seed_dir=seed_dir, dev_login_code=DEV_CODE)


@pytest.fixture(name="sms")
def recording_sms(app: Any) -> RecordingSms:
    app.state.sms = RecordingSms(app.state.session_factory)
    return app.state.sms
