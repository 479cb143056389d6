"""Probes: liveness (``/health``, which also proves the database answers) and readiness
(``/ready``: the database answers and its schema is the one this code expects)."""

from fastapi import APIRouter

from backend import __version__, crud
from backend.api.deps import SessionDep
from backend.core import migrate
from backend.core.problems import ProblemError, problem_responses
from backend.models import HealthPublic, ReadyPublic

router = APIRouter(tags=["health"])


@router.get("/health", response_model=HealthPublic, responses=problem_responses(500))
def read_health(session: SessionDep) -> HealthPublic:
    return HealthPublic(status="ok", version=__version__, epoch=crud.get_epoch(session))


@router.get(
    "/ready",
    response_model=ReadyPublic,
    responses=problem_responses(500, 503),
    summary="Readiness: send traffic here?",
    description=(
        "`503 not_ready` while the database does not answer or its schema is not the newest "
        "revision (another process is still migrating it, or this one is older than it)."
    ),
)
def read_ready(session: SessionDep) -> ReadyPublic:
    try:
        revision = migrate.current(session.connection())
    except Exception:  # the database does not answer: not ready, nothing to log per probe
        revision = None
    if revision != migrate.head():
        raise ProblemError(
            503,
            "not_ready",
            "Not ready",
            "The database does not answer or its schema is not up to date.",
            headers={"Retry-After": "5"},
        )
    return ReadyPublic(revision=revision)
