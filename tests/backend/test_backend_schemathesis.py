"""Schemathesis over the backend's OpenAPI document: no 5xx, and every error is problem+json.

The schema is read from the app itself (``/api/v1/openapi.json`` over ASGI, no network); every
operation is then exercised twice -- anonymously, and with the bearer token of a signed-in demo
resident so that /me is explored beyond its 401 -- against one app on a fresh temporary SQLite
database per module. Besides Schemathesis' own checks (no server error, responses conform to the
document, invalid input is rejected, ...), every response with status >= 400 must be an RFC 9457
problem document with a string ``code``.

Bounded and reproducible: Hypothesis is derandomized, a fixed number of examples per operation,
and the server's clock is a FakeClock, so each run sends the same requests in the same order.
"""

import functools
import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import CheckContext
from schemathesis.config import ProjectConfig

from backend import crud
from backend.core.clock import FakeClock
from backend.core.config import DEFAULT_SEED_DIR, Settings
from backend.core.problems import PROBLEM_JSON
from backend.demo_users import RESIDENT_PHONE
from backend.main import API_V1, create_app
from tests.databases import ENGINES, new_database_url

OPENAPI_URL = f"{API_V1}/openapi.json"
DEV_CODE = "135790"
MAX_EXAMPLES = 40


# Schema-valid requests the server refuses by design, per operation: the contract documents each.
REFUSED_BY_DESIGN = {
    # A cursor is opaque: any string fits the schema, but only one this server issued works
    # (400 invalid_cursor), and only while it is current (410 cursor_expired).
    ("GET", "/catalog/changes"): ["400", "410"],
    # If-Match is checked, not just parsed: missing or malformed is 428, stale is 412.
    ("PATCH", "/me"): ["412", "428"],
    # A start time must be 15 minutes to 30 days ahead of the server's clock (422
    # trip_time_too_soon / too_far), and places must not be blank.
    ("POST", "/trips"): ["422"],
    # An ID number must pass the GB 11643 check digit and hold a real, past birth date; a name
    # must not be blank.
    ("POST", "/volunteers"): ["422"],
}
ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "429"]

CONFIG = schemathesis.Config.from_dict(
    {
        # Explicit, so no schemathesis.toml on the machine changes what runs.
        "seed": 20250101,
        "generation": {"deterministic": True, "max-examples": MAX_EXAMPLES},
        "operations": [
            {
                "include-method": method,
                "include-path": API_V1 + path,
                "checks": {"positive_data_acceptance": {"expected-statuses": ACCEPTED + statuses}},
            }
            for (method, path), statuses in REFUSED_BY_DESIGN.items()
        ],
    }
)


def _remember_per_operation(name: str) -> None:
    """Schemathesis merges an operation's configuration again for every case it generates and
    checks (``ProjectConfig.phases_for``, ``checks_config_for``, ``generation_for``): a fifth of
    this file's CPU under py-spy. The configuration does not change during a run, so each
    answer is kept, per configuration object (held, so its id is never reused), operation and
    phase."""
    merge = getattr(ProjectConfig, name)
    answers: dict[tuple[int, str | None, str | None], tuple[ProjectConfig, Any]] = {}

    @functools.wraps(merge)
    def remembered(self: ProjectConfig, *, operation: Any = None, **phase: Any) -> Any:
        key = (id(self), None if operation is None else operation.label, phase.get("phase"))
        if key not in answers:
            answers[key] = (self, merge(self, operation=operation, **phase))
        return answers[key][1]

    setattr(ProjectConfig, name, remembered)


for _name in ("phases_for", "checks_config_for", "generation_for"):
    _remember_per_operation(_name)


def _load_schema() -> Any:
    """The document as the running app serves it (an unseeded in-memory app: same routes)."""
    app = create_app(Settings(db_url="sqlite://", seed_dir=None))
    try:
        return schemathesis.openapi.from_asgi(OPENAPI_URL, app, config=CONFIG)
    finally:
        app.state.engine.dispose()


schema = _load_schema()


@schema.hook
def map_case(context: Any, case: Any) -> Any:
    """A fresh Idempotency-Key per generated request, as a client makes one per action: a
    generated key reused with another body is correctly refused (422 idempotency_key_reused),
    which is the contract, not a bug to report."""
    if case.headers and "Idempotency-Key" in case.headers:
        case.headers["Idempotency-Key"] = str(uuid.uuid4())
    return case


SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)


@pytest.fixture(scope="module", params=ENGINES)
def app(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FastAPI]:
    """The app under test: its own database on each engine, the demo catalogue and users."""
    db_url = new_database_url(request, request.param, tmp_path_factory.mktemp("schemathesis"))
    app = create_app(Settings(db_url=db_url, seed_dir=DEFAULT_SEED_DIR, dev_login_code=DEV_CODE))
    app.state.clock = FakeClock()
    # Signed in before any fuzzing: the anonymous run sends wrong codes for this very phone
    # and locks it out (429 locked_out), as it should.
    response = TestClient(app).post(
        f"{API_V1}/auth/token", json={"phone": RESIDENT_PHONE, "code": DEV_CODE}
    )
    assert response.status_code == 200, response.text
    app.state.test_bearer = {"Authorization": f"Bearer {response.json()['access_token']}"}
    yield app
    app.state.engine.dispose()


@pytest.fixture(scope="module")
def bearer(app: FastAPI) -> dict[str, str]:
    """Authorization header of the demo resident, who has records, visits and inbox items."""
    return app.state.test_bearer


def errors_are_problem_json(ctx: CheckContext, response: Any, case: Any) -> bool | None:
    """Every 4xx/5xx is ``application/problem+json`` with a string ``code``."""
    if response.status_code < 400:
        return None
    content_type = response.headers.get("content-type", [""])
    content_type = content_type[0] if isinstance(content_type, list) else content_type
    assert content_type.split(";")[0].strip() == PROBLEM_JSON, (
        f"{response.status_code} answered with content-type {content_type!r}, not {PROBLEM_JSON}"
    )
    body = json.loads(response.content)
    assert isinstance(body, dict) and isinstance(body.get("code"), str), (
        f"problem body without a string code: {body!r}"
    )
    assert body.get("status") == response.status_code, body
    return True


@schema.parametrize()
@SETTINGS
def test_anonymous_requests(case: schemathesis.Case, app: FastAPI) -> None:
    case.call_and_validate(app=app, additional_checks=[errors_are_problem_json])


@schema.parametrize()
@SETTINGS
def test_signed_in_requests(case: schemathesis.Case, app: FastAPI, bearer: dict[str, str]) -> None:
    if case.path.endswith("/auth/logout"):  # signs out a sign-in of its own, not the shared one
        bearer = _fresh_bearer(app)
    case.call_and_validate(app=app, headers=bearer, additional_checks=[errors_are_problem_json])


def _fresh_bearer(app: FastAPI) -> dict[str, str]:
    """Minted directly: by now the anonymous run has locked the demo phone out of sign-in."""
    with app.state.session_factory() as session:
        user = crud.get_or_create_user(session, RESIDENT_PHONE)
        access, _refresh = crud.issue_tokens(
            session, user.id, crud.new_token_family(), app.state.clock()
        )
        session.commit()
    return {"Authorization": f"Bearer {access}"}


def test_the_signed_in_runs_get_past_authentication(app: FastAPI, bearer: dict[str, str]):
    """Otherwise the signed-in runs above would only ever see 401 from /me."""
    me = TestClient(app).get(f"{API_V1}/me", headers=bearer)

    assert me.status_code == 200, me.text
    assert {f"GET {API_V1}/me", f"PATCH {API_V1}/me"} <= {
        op.ok().label for op in schema.get_all_operations()
    }
