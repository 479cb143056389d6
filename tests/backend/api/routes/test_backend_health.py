"""GET /api/v1/health."""

from collections.abc import Callable
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from backend import crud
from backend.core import migrate
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


def test_ready_when_the_database_answers_at_the_newest_revision(client: TestClient):
    response = client.get("/api/v1/ready")

    assert response.status_code == 200
    assert response.json() == {"status": "ready", "revision": migrate.head()}


def test_not_ready_while_the_schema_is_behind(app: FastAPI, client: TestClient):
    with app.state.engine.begin() as connection:
        connection.execute(
            text("UPDATE alembic_version SET version_num = :first"), {"first": "0001"}
        )

    response = client.get("/api/v1/ready")

    assert response.status_code == 503
    assert response.json()["code"] == "not_ready"
    assert response.headers["retry-after"] == "5"


def test_not_ready_when_the_database_does_not_answer(app: FastAPI, client: TestClient):
    app.state.engine.dispose()
    nowhere = create_engine("postgresql+psycopg://nobody@127.0.0.1:9/none")  # nothing listens
    app.state.session_factory.configure(bind=nowhere)

    response = client.get("/api/v1/ready")

    assert response.status_code == 503
    assert response.json()["code"] == "not_ready"
