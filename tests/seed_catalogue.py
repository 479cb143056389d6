"""The catalogue the app ships (``assets/seed``) as tests read it: a file's records, a kind's
records, and a local store holding them all as if they had been synced."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from services.api import CatalogChange
from services.catalog import Catalog
from services.sync.store import LocalStore
from tests import paths

SEED_DIR = paths.REPO_ROOT / "assets" / "seed"
# The catalogue kinds a device syncs, each from its seed file.
KIND_FILES = {
    "district": "districts.json",
    "service": "services.json",
    "policy": "policies.json",
    "institution": "institutions.json",
    "rule": "rules.json",
}
SEARCHED_KINDS = ("service", "policy", "institution")


def seed_file(name: str) -> list[dict[str, Any]]:
    return json.loads((SEED_DIR / name).read_text(encoding="utf-8"))


def seed_records(kind: str) -> list[dict[str, Any]]:
    return seed_file(KIND_FILES[kind])


def seeded_catalog(store: LocalStore, kinds: Iterable[str] = KIND_FILES) -> Catalog:
    """``store`` with every record of ``kinds`` saved, as one finished sync would leave it."""
    changes = [
        CatalogChange(kind=kind, id=record["id"], version=1, deleted=False, data=record)
        for kind in kinds
        for record in seed_records(kind)
    ]
    store.apply_page(changes, "seeded", last=True)
    return Catalog(store)
