"""GET routes that list the caller's own rows: the same shape for each list, so one function
registers them (the operation keeps the name its function had, and so its OpenAPI id)."""

from collections.abc import Callable, Sequence
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy.orm import Session

from backend.api.deps import CurrentUserDep, SessionDep
from backend.core.problems import problem_responses


def add_own_list_route(
    router: APIRouter,
    path: str,
    name: str,
    list_model: type[BaseModel],
    rows_of: Callable[[Session, int], Sequence[Any]],
    item_of: Callable[[Any], BaseModel],
    summary: str,
    description: str | None = None,
) -> None:
    """``GET path``: ``list_model(items=[item_of(row), …])`` for ``rows_of(session, my id)``."""

    def route(user: CurrentUserDep, session: SessionDep) -> BaseModel:
        return list_model(items=[item_of(row) for row in rows_of(session, user.id)])

    route.__name__ = name
    router.add_api_route(
        path,
        route,
        methods=["GET"],
        response_model=list_model,
        responses=problem_responses(401, 500),
        summary=summary,
        description=description,
    )
