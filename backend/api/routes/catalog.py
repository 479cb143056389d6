"""Catalogue delta sync: the client pulls every change after its cursor, page by page."""

import json
from typing import Annotated

from fastapi import APIRouter, Query

from backend import crud
from backend.api.deps import SessionDep
from backend.core.problems import ProblemError, problem_responses
from backend.cursor import Cursor, decode_cursor
from backend.models import CatalogChangePublic, CatalogChangesPublic, CatalogItem, CatalogMeta

router = APIRouter(prefix="/catalog", tags=["catalog"])

DEFAULT_LIMIT = 500
MAX_LIMIT = 1000


@router.get(
    "/changes",
    response_model=CatalogChangesPublic,
    responses=problem_responses(400, 410, 422, 500),
    summary="Catalogue changes after a cursor",
    description=(
        "Latest state of every item changed after `cursor`, oldest first. Omit `cursor` for a "
        "full pull. `400 invalid_cursor`: not a cursor this server issues. `410 cursor_expired`: "
        "the cursor is from another database or older than purged deletions; pull again "
        "without a cursor."
    ),
)
def read_changes(
    session: SessionDep,
    cursor: Annotated[str | None, Query(description="next_cursor from the previous call")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
) -> CatalogChangesPublic:
    meta = crud.get_meta(session)  # same transaction as the page below: one snapshot
    start = _resume(cursor, meta) if cursor is not None else Cursor(meta.epoch, 0, meta.horizon_seq)
    batch = crud.changes_since(session, start.seq, limit)
    next_seq = batch.items[-1].seq if batch.items else start.seq
    return CatalogChangesPublic(
        changes=[_to_public(item) for item in batch.items],
        next_cursor=Cursor(meta.epoch, next_seq, start.floor).encode(),
        has_more=batch.has_more,
    )


def _resume(token: str, meta: CatalogMeta) -> Cursor:
    """The position a client cursor stands for, or the problem that stops us serving it."""
    try:
        cursor = decode_cursor(token)
    except ValueError:
        raise ProblemError(
            400, "invalid_cursor", "Invalid cursor", "Use a next_cursor returned by this server."
        ) from None
    if cursor.epoch != meta.epoch:
        reason = "The cursor was issued by another catalogue database."
    elif cursor.covered_seq < meta.horizon_seq:
        reason = "Deletions after this cursor were purged."
    elif cursor.covered_seq > meta.last_seq:
        reason = "The cursor is ahead of this catalogue (restored from a backup?)."
    else:
        return cursor
    raise ProblemError(410, "cursor_expired", "Cursor expired", reason + " Resync from scratch.")


def _to_public(item: CatalogItem) -> CatalogChangePublic:
    return CatalogChangePublic(
        kind=item.kind,
        id=item.id,
        version=item.version,
        deleted=item.deleted,
        data=None if item.data is None else json.loads(item.data),
    )
