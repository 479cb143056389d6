"""Fill an empty catalogue with the demo data in ``assets/seed`` on first start.

Seeding is per kind: a kind's file is loaded only while that kind has no history (never seeded,
no item of it ever stored), so restarts never duplicate rows or bump versions, later edits are
never overwritten by the files, and a kind added to the seed later (``rules.json``) still
reaches databases seeded before it existed.
"""

import json
import logging
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from backend import crud
from backend.core.db import WRITE_TRANSACTION
from backend.models import CatalogKind

logger = logging.getLogger(__name__)

SEED_FILES: tuple[tuple[str, CatalogKind], ...] = (
    ("districts.json", CatalogKind.DISTRICT),
    ("services.json", CatalogKind.SERVICE),
    ("policies.json", CatalogKind.POLICY),
    ("institutions.json", CatalogKind.INSTITUTION),
    ("rules.json", CatalogKind.RULE),
)


class SeedError(ValueError):
    """A seed file exists but is not a JSON array of objects with unique string ids."""


def load_seed_file(path: Path) -> list[dict[str, Any]]:
    try:
        items = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SeedError(f"{path}: cannot read JSON: {exc}") from exc
    if not isinstance(items, list):
        raise SeedError(f"{path}: expected a JSON array")
    seen: set[str] = set()
    for index, item in enumerate(items):
        item_id = item.get("id") if isinstance(item, dict) else None
        if not isinstance(item_id, str) or not item_id:
            raise SeedError(f"{path}: item {index} is not an object with a string 'id'")
        if item_id in seen:
            raise SeedError(f"{path}: duplicate id {item_id!r}")
        seen.add(item_id)
    return items


def begin_write(session: Session) -> None:
    """End whatever the session had open and start a transaction that holds the write lock.

    On SQLite a transaction that has read cannot wait for the write lock ("database is locked"
    at once when another start-up wrote meanwhile); one that takes it first (BEGIN IMMEDIATE)
    waits its turn on the busy timeout. Other databases queue on the feed lock's row lock.
    """
    session.rollback()
    session.connection(execution_options={WRITE_TRANSACTION: True})


def seed_catalog(session: Session, seed_dir: Path) -> int:
    """Load each seed file whose kind has no history yet, all in one transaction; returns items
    stored.

    Missing files are skipped with a warning (the demo data may be incomplete; the kind is then
    seeded on a later start that has the file); a malformed one aborts start-up rather than
    leave a half-seeded database that would never be seeded again.
    """
    batches = []
    for file_name, kind in SEED_FILES:
        path = seed_dir / file_name
        if path.is_file():
            batches.append((kind, load_seed_file(path)))
        else:
            logger.warning("seed file %s not found; no %s items seeded", path, kind.value)

    begin_write(session)
    crud.lock_feed(session)  # a second process starting now waits here, then sees our seeding
    count = 0
    for kind, items in batches:
        if crud.kind_has_history(session, kind):
            crud.mark_seeded(session, kind)  # databases from before per-kind seeding
            continue
        for item in items:
            crud.upsert_item(session, kind, item["id"], item)
            count += 1
        crud.mark_seeded(session, kind)
    session.commit()
    if count:
        logger.info("seeded %d catalogue items from %s", count, seed_dir)
    return count
