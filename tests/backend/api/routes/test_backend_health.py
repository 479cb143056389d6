"""GET /api/v1/health."""

from collections.abc import Callable
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from backend import crud
from backend.core.config import Settings


def test_health_reports_ok_version_and_database_epoch(client: TestClient, session: Session):
    response = client.get("/api/v1/health")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {
        "status": "ok",
        "version": "0.1.0",
        "epoch": crud.get_epoch(session),
    }


def test_epoch_survives_restart_but_differs_between_databases(
    make_app: Callable[..., FastAPI], settings: Settings, tmp_path: Path
):
    first = TestClient(make_app(settings)).get("/api/v1/health").json()["epoch"]
    again = TestClient(make_app(settings)).get("/api/v1/health").json()["epoch"]
    other_db = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    other = TestClient(make_app(settings, db_url=other_db)).get("/api/v1/health").json()["epoch"]

    assert first == again
    assert other != first
