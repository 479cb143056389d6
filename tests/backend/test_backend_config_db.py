"""Settings come from SUNSHINE_* variables; SQLite connections get WAL, timeout, foreign keys."""

from collections.abc import Callable
from pathlib import Path

import pytest
from anyio.to_thread import current_default_thread_limiter
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import text

from backend.core.config import Settings
from backend.core.db import create_db_engine


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "SUNSHINE_BACKEND_DB",
        "SUNSHINE_DATA_DIR",
        "SUNSHINE_ENV",
        "SUNSHINE_SEED_DIR",
        "SUNSHINE_DEV_LOGIN_CODE",
        "SUNSHINE_TEST_NOW",
    ):
        monkeypatch.delenv(name, raising=False)


def test_default_database_is_a_sqlite_file_in_the_data_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    monkeypatch.setenv("SUNSHINE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SUNSHINE_ENV", "dev")

    settings = Settings()

    assert settings.db_url == f"sqlite:///{tmp_path}/backend.sqlite3"
    assert settings.env == "dev"
    assert settings.seed_dir is not None and settings.seed_dir.parts[-2:] == ("assets", "seed")


def test_backend_db_variable_and_arguments_override_the_default(
    monkeypatch: pytest.MonkeyPatch,
):
    monkeypatch.setenv("SUNSHINE_BACKEND_DB", "postgresql://db/sunshine")
    monkeypatch.setenv("SUNSHINE_ENV", "dev")

    assert Settings().db_url == "postgresql://db/sunshine"
    assert Settings(db_url="sqlite://").db_url == "sqlite://"


def test_env_accepts_dev_and_production_and_rejects_anything_else(
    monkeypatch: pytest.MonkeyPatch, production_settings
):
    monkeypatch.setenv("SUNSHINE_ENV", "dev")
    assert Settings().env == "dev"
    monkeypatch.setenv("SUNSHINE_ENV", "production")
    complete = production_settings().model_dump(exclude={"env", "seed_dir"})
    assert Settings(**complete).env == "production"  # from the variable

    monkeypatch.setenv("SUNSHINE_ENV", "staging")
    with pytest.raises(ValidationError):
        Settings()


def test_sqlite_connections_use_wal_busy_timeout_and_foreign_keys(tmp_path: Path):
    engine = create_db_engine(f"sqlite:///{tmp_path / 'nested' / 'dir' / 'x.sqlite3'}")
    try:
        with engine.connect() as connection:
            pragmas = {
                name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "busy_timeout", "foreign_keys")
            }
            connection.execute(text("SELECT 1"))
    finally:
        engine.dispose()

    assert pragmas == {"journal_mode": "wal", "busy_timeout": 30_000, "foreign_keys": 1}
    assert (tmp_path / "nested" / "dir" / "x.sqlite3").exists()


def test_a_test_clock_starts_the_server_at_its_instant_and_is_refused_in_production(
    tmp_path: Path,
):
    from datetime import UTC, datetime

    from backend.main import create_app

    early = datetime(2026, 12, 1, 23, 55, tzinfo=UTC)
    with pytest.raises(ValidationError, match="SUNSHINE_TEST_NOW"):
        Settings(env="production", test_now=early, data_dir=tmp_path)

    app = create_app(Settings(env="dev", test_now=early, data_dir=tmp_path, seed_dir=None))
    now = app.state.clock()
    assert early <= now < datetime(2026, 12, 2, 0, 5, tzinfo=UTC)
    app.state.engine.dispose()


def test_a_server_does_its_routes_work_in_as_many_threads_as_set(
    make_app: Callable[..., FastAPI], db_url: str, seed_dir: Path, tmp_path: Path
):
    assert Settings.model_fields["worker_threads"].default == 8
    settings = Settings(
        env="dev", data_dir=tmp_path, db_url=db_url, seed_dir=seed_dir, worker_threads=3
    )
    app = make_app(settings)

    with TestClient(app) as client:
        threads = client.portal.call(lambda: current_default_thread_limiter().total_tokens)

    assert threads == 3
    with pytest.raises(ValidationError, match="worker_threads"):
        Settings(env="dev", worker_threads=0)
