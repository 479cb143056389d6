"""Request bodies over 64 KiB are refused with 413 before they are parsed or authorised
(issue 18, item 7): over real HTTP, declared or chunked, on a route that needs no sign-in and on
one that does."""

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from backend.core.body_limit import MAX_BODY
from backend.core.config import Settings
from backend.embedded import EmbeddedBackend
from bench.at_once import http_client

API = "/api/v1"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    data_dir: Path = tmp_path_factory.mktemp("body-limit")
    settings = Settings(env="dev", data_dir=data_dir, seed_dir=None)
    with EmbeddedBackend(settings) as backend, http_client(backend.url, 30) as c:
        yield c


def padded(size: int) -> bytes:
    """A JSON object of exactly ``size`` bytes."""
    head, tail = b'{"phone": "13800000001", "pad": "', b'"}'
    return head + b"x" * (size - len(head) - len(tail)) + tail


def assert_too_large(response: httpx.Response) -> None:
    assert response.status_code == 413, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "body_too_large"


@pytest.mark.parametrize("path", [f"{API}/auth/code", f"{API}/me/consent-codes"])
def test_a_declared_body_over_the_limit_is_413_before_anything_else(
    server: httpx.Client, path: str
) -> None:
    response = server.post(
        path, content=padded(MAX_BODY + 1), headers={"content-type": "application/json"}
    )

    assert_too_large(response)  # not 401 (no sign-in), not 422 (an unknown field)


def test_a_chunked_body_over_the_limit_is_413(server: httpx.Client) -> None:
    body = padded(4 * MAX_BODY)

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(body), 8192):
            yield body[start : start + 8192]

    response = server.post(
        f"{API}/auth/code", content=chunks(), headers={"content-type": "application/json"}
    )

    assert "content-length" not in response.request.headers  # really sent chunked
    assert_too_large(response)


def test_a_body_at_the_limit_is_read_and_judged_as_usual(server: httpx.Client) -> None:
    response = server.post(
        f"{API}/auth/code", content=padded(MAX_BODY), headers={"content-type": "application/json"}
    )

    assert response.status_code == 422  # parsed: "pad" is not a field of a code request
    assert response.json()["code"] == "validation_error"
