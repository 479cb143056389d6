"""Every answer has a request id, and every log line written for it carries the same id: one
JSON object per line in production."""

import io
import json
import logging
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from backend.core.config import Settings
from backend.core.logs import configure_logging

TOKEN = "/api/v1/auth/token"
WRONG = {"phone": "13912345678", "code": "000000"}  # no code was sent: logged as wrong


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """The root logger configured as `python -m backend` does, writing JSON into a buffer."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    stream = io.StringIO()
    configure_logging(json_lines=True, stream=stream)
    yield stream
    root.handlers[:] = handlers
    root.setLevel(level)


def records(stream: io.StringIO) -> list[dict[str, str]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_each_answer_and_its_log_lines_share_a_request_id(
    client: TestClient, log_lines: io.StringIO
):
    first = client.post(TOKEN, json=WRONG)
    second = client.post(TOKEN, json=WRONG)

    ids = [first.headers["x-request-id"], second.headers["x-request-id"]]
    assert len(set(ids)) == 2 and all(len(i) == 32 for i in ids)
    wrong = [r for r in records(log_lines) if r["message"].startswith("wrong sign-in code")]
    assert [r["request_id"] for r in wrong] == ids
    assert {"time", "level", "logger", "message"} <= wrong[0].keys()
    assert wrong[0]["level"] == "INFO" and wrong[0]["logger"] == "backend.api.routes.auth"


def test_a_proxys_request_id_is_kept_and_a_malformed_one_replaced(client: TestClient):
    proxied = "7f3c1a52b6e84a1f9d2e4c6b8a0f1e3d"
    assert (
        client.get("/api/v1/health", headers={"X-Request-ID": proxied}).headers["x-request-id"]
        == proxied
    )
    forged = client.get("/api/v1/health", headers={"X-Request-ID": "13912345678 <script>"})
    assert forged.headers["x-request-id"] != "13912345678 <script>"


def test_a_refused_body_has_a_request_id_too(client: TestClient):
    response = client.post(
        TOKEN, content=b"x" * (65 * 1024), headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 413 and len(response.headers["x-request-id"]) == 32


def test_production_writes_json_and_dev_mode_text():
    assert Settings(env="dev").json_logs is False
    assert Settings(env="dev", log_format="json").json_logs is True
    production = Settings.model_construct(env="production", log_format=None)
    assert production.json_logs is True
