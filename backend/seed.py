"""Fill an empty catalogue with the demo data in ``assets/seed`` on first start.

Seeding runs only while the catalogue has never recorded a change, so restarts never duplicate
rows or bump versions, and later edits are never overwritten by the files.
"""

import json
import logging
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from backend import crud
from backend.models import CatalogKind

logger = logging.getLogger(__name__)

SEED_FILES: tuple[tuple[str, CatalogKind], ...] = (
    ("districts.json", CatalogKind.DISTRICT),
    ("services.json", CatalogKind.SERVICE),
    ("policies.json", CatalogKind.POLICY),
    ("institutions.json", CatalogKind.INSTITUTION),
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


def seed_catalog(session: Session, seed_dir: Path) -> int:
    """Load every seed file into an empty catalogue in one transaction; returns items stored.

    Missing files are skipped with a warning (the demo data may be incomplete); a malformed one
    aborts start-up rather than leave a half-seeded database that would never be seeded again.
    """
    batches = []
    for file_name, kind in SEED_FILES:
        path = seed_dir / file_name
        if path.is_file():
            batches.append((kind, load_seed_file(path)))
        else:
            logger.warning("seed file %s not found; no %s items seeded", path, kind.value)

    crud.lock_feed(session)  # a second process starting now waits here, then sees a full catalogue
    if crud.has_history(session):
        session.rollback()
        return 0
    count = 0
    for kind, items in batches:
        for item in items:
            crud.upsert_item(session, kind, item["id"], item)
            count += 1
    session.commit()
    logger.info("seeded %d catalogue items from %s", count, seed_dir)
    return count
