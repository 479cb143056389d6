"""The committed OpenAPI document matches the code and documents problem+json errors."""

import subprocess
import sys
from pathlib import Path

from backend.openapi import OPENAPI_PATH, build_document, render

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_committed_document_matches_the_app():
    assert OPENAPI_PATH.read_text(encoding="utf-8") == render(build_document()), (
        "backend/openapi.json is stale; run: python -m backend.openapi"
    )


def test_check_command_passes():
    result = subprocess.run(
        [sys.executable, "-m", "backend.openapi", "--check"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stderr


def test_catalogue_route_declares_problem_json_errors():
    document = build_document()
    responses = document["paths"]["/api/v1/catalog/changes"]["get"]["responses"]

    for status, schema in [
        ("400", "Problem"),
        ("410", "Problem"),
        ("422", "ValidationProblem"),
        ("500", "Problem"),
    ]:
        content = responses[status]["content"]
        assert list(content) == ["application/problem+json"]
        assert content["application/problem+json"]["schema"]["$ref"].endswith("/" + schema)
        assert schema in document["components"]["schemas"]
    assert document["info"] == {"title": "Sunshine reference backend", "version": "0.1.0"}
