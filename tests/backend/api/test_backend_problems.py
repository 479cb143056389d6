"""Every error is RFC 9457 problem+json with a stable code, and internals never leak."""

from fastapi import FastAPI
from fastapi.testclient import TestClient

from backend.core.problems import ProblemError

PROBLEM_FIELDS = {"type", "title", "status", "detail", "code", "instance"}


def test_unknown_route_is_404_not_found(client: TestClient):
    response = client.get("/api/v1/no-such-thing")

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert set(body) == PROBLEM_FIELDS
    assert body["code"] == "not_found"
    assert body["status"] == 404
    assert body["title"] == "Not Found"
    assert body["instance"] == "/api/v1/no-such-thing"


def test_wrong_method_is_405_with_allow_header(client: TestClient):
    response = client.delete("/api/v1/health")

    assert response.status_code == 405
    assert response.headers["allow"] == "GET"
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "method_not_allowed"


def test_problem_error_keeps_its_status_code_and_wording(app: FastAPI, client: TestClient):
    @app.get("/api/v1/test-only/full")
    def full() -> None:
        raise ProblemError(409, "trip_taken", "Trip taken", "Another volunteer was first.")

    response = client.get("/api/v1/test-only/full")

    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": "urn:sunshine:problem:trip_taken",
        "title": "Trip taken",
        "status": 409,
        "detail": "Another volunteer was first.",
        "code": "trip_taken",
        "instance": "/api/v1/test-only/full",
    }


def test_unexpected_exception_is_500_without_internals(app: FastAPI):
    @app.get("/api/v1/test-only/boom")
    def boom() -> None:
        raise RuntimeError("secret connection string postgres://admin:hunter2@db")

    response = TestClient(app, raise_server_exceptions=False).get("/api/v1/test-only/boom")

    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "internal_error"
    assert body["detail"] is None
    for leak in ("hunter2", "RuntimeError", "Traceback", 'File "'):
        assert leak not in response.text
