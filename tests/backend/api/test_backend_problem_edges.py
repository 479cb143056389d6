"""Error edges Schemathesis found (tests/backend/test_backend_schemathesis.py), pinned down."""

import uuid

from fastapi import FastAPI
from fastapi.testclient import TestClient

CODE = "/api/v1/auth/code"


def test_405_allow_names_every_method_of_the_path(client: TestClient):
    # GET /me and PATCH /me are two routes; Starlette alone would answer "Allow: GET".
    response = client.delete("/api/v1/me")

    assert response.status_code == 405
    assert response.headers["allow"] == "GET, PATCH"
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "method_not_allowed"


def test_json_body_that_is_not_utf8_is_422_json_invalid(client: TestClient):
    response = client.post(
        CODE, content=b'{"phone": "\xff\xfe"}', headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "validation_error"
    assert body["errors"] == [{"loc": ["body"], "msg": "JSON decode error", "type": "json_invalid"}]


def test_a_422_a_route_raises_still_has_errors(client: TestClient):
    key = {"Idempotency-Key": str(uuid.uuid4())}
    assert client.post(CODE, json={"phone": "13900000001"}, headers=key).status_code == 202

    response = client.post(CODE, json={"phone": "13900000002"}, headers=key)

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "idempotency_key_reused"
    assert body["errors"] == []


def test_optional_parameters_are_not_documented_as_nullable(app: FastAPI):
    parameters = [
        parameter
        for path_item in app.openapi()["paths"].values()
        for operation in path_item.values()
        for parameter in operation.get("parameters", [])
    ]
    idempotency_keys = [p for p in parameters if p["name"] == "Idempotency-Key"]

    assert idempotency_keys
    assert all(p["schema"]["type"] == "string" for p in idempotency_keys)
    assert all(p["schema"]["format"] == "uuid" for p in idempotency_keys)
    for parameter in parameters:
        if not parameter["required"]:
            assert {"type": "null"} not in parameter["schema"].get("anyOf", []), parameter
