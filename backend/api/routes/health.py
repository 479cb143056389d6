"""Liveness probe that also proves the database answers."""

from fastapi import APIRouter

from backend import __version__, crud
from backend.api.deps import SessionDep
from backend.core.problems import problem_responses
from backend.models import HealthPublic

router = APIRouter(tags=["health"])


@router.get("/health", response_model=HealthPublic, responses=problem_responses(500))
def read_health(session: SessionDep) -> HealthPublic:
    return HealthPublic(status="ok", version=__version__, epoch=crud.get_epoch(session))
