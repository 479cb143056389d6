"""Fixtures: a temp SQLite file, a tiny seed dir and an app built by ``create_app`` on them."""

import json
import warnings
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy.orm import Session

from backend.core.clock import FakeClock
from backend.core.config import Settings
from backend.core.keys import KeyRing
from backend.main import create_app
from tests.databases import ENGINES, new_database_url

with warnings.catch_warnings():
    # Starlette nudges towards "httpx2", which is not installable here; httpx works fine.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

SEED: dict[str, list[dict[str, Any]]] = {
    "districts.json": [
        {"id": "huangpu", "name": "黄浦区"},
        {"id": "pudong", "name": "浦东新区"},
    ],
    "services.json": [
        {"id": "svc-bus-pass", "name": "残疾人免费乘车", "district_ids": ["huangpu"]},
        {"id": "svc-rehab", "name": "社区康复服务"},
    ],
    "policies.json": [{"id": "pol-living-subsidy", "title": "重残无业人员生活补助"}],
    "institutions.json": [{"id": "inst-sunshine-home", "name": "阳光之家"}],
}
CHANGES = "/api/v1/catalog/changes"


@pytest.fixture
def seed_items() -> dict[str, list[dict[str, Any]]]:
    """What the fixture seed dir holds, by file name."""
    return SEED


def write_seed_dir(path: Path, files: dict[str, Any]) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
        (path / name).write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def make_seed_dir() -> Callable[[Path, dict[str, Any]], Path]:
    """Write seed files (JSON values, or raw text for broken ones) into a directory."""
    return write_seed_dir


@pytest.fixture
def seed_dir(tmp_path: Path) -> Path:
    return write_seed_dir(tmp_path / "seed", SEED)


@pytest.fixture(params=ENGINES)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Every backend test runs on both engines: a SQLite file and a new PostgreSQL database,
    each at the newest schema revision with no rows."""
    return new_database_url(request, request.param, tmp_path, migrated=True)


@pytest.fixture(params=ENGINES)
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database with no tables at all, on each engine (for tests of migrating one)."""
    return new_database_url(request, request.param, tmp_path)


@pytest.fixture
def settings(db_url: str, seed_dir: Path) -> Settings:
    return Settings(db_url=db_url, seed_dir=seed_dir)


@pytest.fixture
def production_settings(tmp_path: Path, db_url: str) -> Callable[..., Settings]:
    """Settings a production server starts with (a key file, a database, an SMS gateway),
    with ``overrides`` on top."""

    def make(**overrides: Any) -> Settings:
        key_file = tmp_path / "production-keys.json"
        if not key_file.exists():
            KeyRing.create(key_file)
        values: dict[str, Any] = {
            "env": "production",
            "data_dir": tmp_path / "production-data",
            "db_url": db_url,
            "key_file": key_file,
            "sms_provider": "http",
            "sms_gateway_url": "https://sms.gateway.invalid/send",
            "sms_gateway_token": "gateway-token",
        }
        return Settings(**(values | overrides))

    return make


@pytest.fixture
def make_app() -> Iterator[Callable[..., FastAPI]]:
    """Build apps with ``create_app`` and dispose their engines afterwards."""
    with ExitStack() as made:

        def make(settings: Settings | None = None, **kwargs: Any) -> FastAPI:
            app = create_app(settings, **kwargs)
            made.callback(app.state.engine.dispose)
            return app

        yield make


@pytest.fixture
def app(make_app: Callable[..., FastAPI], settings: Settings) -> FastAPI:
    return make_app(settings)


@pytest.fixture
def clock(app: FastAPI) -> FakeClock:
    """The app's clock, frozen: tests move time with ``clock.advance(...)``."""
    app.state.clock = FakeClock()
    return app.state.clock


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    return TestClient(app)


@pytest.fixture
def session(app: FastAPI) -> Iterator[Session]:
    with app.state.session_factory() as session:
        yield session


@pytest.fixture
def pull(client: TestClient) -> Callable[..., tuple[list[dict[str, Any]], str]]:
    """Follow the feed from ``cursor`` until has_more is false; returns (changes, next_cursor)."""

    def pull(cursor: str | None = None, limit: int = 500) -> tuple[list[dict[str, Any]], str]:
        changes: list[dict[str, Any]] = []
        while True:
            params: dict[str, Any] = {"limit": limit}
            if cursor is not None:
                params["cursor"] = cursor
            response = client.get(CHANGES, params=params)
            assert response.status_code == 200, response.text
            page = response.json()
            changes.extend(page["changes"])
            cursor = page["next_cursor"]
            if not page["has_more"]:
                return changes, cursor

    return pull
