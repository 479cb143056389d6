"""Seeding: once, on the first start only, and never half-done."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from backend import crud
from backend.core.config import Settings
from backend.models import CatalogItem
from backend.seed import SeedError

MakeSeedDir = Callable[[Path, dict[str, Any]], Path]


def _snapshot(app: FastAPI) -> tuple[str, int, list[tuple[str, str, int, int]]]:
    with app.state.session_factory() as session:
        meta = crud.get_meta(session)
        rows = session.scalars(select(CatalogItem).order_by(CatalogItem.seq)).all()
        return meta.epoch, meta.last_seq, [(r.kind, r.id, r.version, r.seq) for r in rows]


def test_first_start_seeds_every_kind_at_version_1(app: FastAPI):
    _, last_seq, rows = _snapshot(app)

    assert last_seq == len(rows) == 6
    assert {kind for kind, *_ in rows} == {"district", "service", "policy", "institution"}
    assert all(version == 1 for _, _, version, _ in rows)


def test_second_start_neither_duplicates_nor_bumps_versions(
    make_app: Callable[..., FastAPI], settings: Settings
):
    before = _snapshot(make_app(settings))

    after = _snapshot(make_app(settings))

    assert after == before


def test_later_edits_are_not_overwritten_by_the_seed_files(
    make_app: Callable[..., FastAPI], settings: Settings
):
    app = make_app(settings)
    with app.state.session_factory() as session:
        crud.delete_item(session, "district", "huangpu")
        crud.purge_tombstones(session, crud.get_meta(session).last_seq)
        session.commit()

    restarted = make_app(settings)

    with restarted.state.session_factory() as session:
        assert crud.get_item(session, "district", "huangpu") is None
        assert crud.get_meta(session).last_seq == 7


def test_missing_seed_files_are_skipped(
    make_app: Callable[..., FastAPI], make_seed_dir: MakeSeedDir, db_url: str, tmp_path: Path
):
    seed_dir = make_seed_dir(tmp_path / "partial", {"districts.json": [{"id": "jingan"}]})

    _, _, rows = _snapshot(make_app(Settings(db_url=db_url, seed_dir=seed_dir)))

    assert [(kind, id) for kind, id, *_ in rows] == [("district", "jingan")]


def test_no_seed_dir_means_an_empty_catalogue(make_app: Callable[..., FastAPI], db_url: str):
    _, last_seq, rows = _snapshot(make_app(Settings(db_url=db_url, seed_dir=None)))

    assert (last_seq, rows) == (0, [])


@pytest.mark.parametrize(
    "content",
    [
        '[{"id": "a"},',  # truncated JSON
        {"id": "a"},  # not an array
        [{"name": "no id"}],
        [{"id": 7}],
        [{"id": "a"}, {"id": "a"}],
        ["a"],
    ],
    ids=["truncated", "not-array", "no-id", "int-id", "duplicate-id", "not-object"],
)
def test_malformed_seed_file_fails_start_up_and_stores_nothing(
    make_app: Callable[..., FastAPI],
    make_seed_dir: MakeSeedDir,
    db_url: str,
    tmp_path: Path,
    content: Any,
):
    seed_dir = make_seed_dir(
        tmp_path / "broken", {"districts.json": [{"id": "jingan"}], "services.json": content}
    )

    with pytest.raises(SeedError, match=r"services\.json"):
        make_app(Settings(db_url=db_url, seed_dir=seed_dir))

    _, last_seq, rows = _snapshot(make_app(Settings(db_url=db_url, seed_dir=None)))
    assert (last_seq, rows) == (0, [])
