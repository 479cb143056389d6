"""Seeding: once per kind, on the first start that has its file, and never half-done."""

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import delete, select

from backend import crud
from backend.core.config import Settings
from backend.models import CatalogItem, CatalogSeeded
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


# --- per kind: a kind added to the seed later still arrives ----------------------------------

RULES = [{"id": "rule-rehab", "service_id": "svc-rehab", "when": {"all": []}}]


def _kinds(app: FastAPI) -> dict[str, int]:
    counts: dict[str, int] = {}
    for kind, *_ in _snapshot(app)[2]:
        counts[kind] = counts.get(kind, 0) + 1
    return counts


@pytest.fixture
def with_rules(make_seed_dir: MakeSeedDir, seed_items: dict[str, Any], tmp_path: Path) -> Path:
    """A seed directory with the rules file as well as the catalogue's."""
    return make_seed_dir(tmp_path / "with-rules", {**seed_items, "rules.json": RULES})


def test_rules_are_seeded_with_the_rest(
    make_app: Callable[..., FastAPI], with_rules: Path, db_url: str
):
    app = make_app(Settings(db_url=db_url, seed_dir=with_rules))

    assert _kinds(app) == {"district": 2, "service": 2, "policy": 1, "institution": 1, "rule": 1}
    with app.state.session_factory() as session:
        item = crud.get_item(session, "rule", "rule-rehab")
        assert item is not None and item.version == 1


def test_a_database_seeded_before_rules_existed_gets_them_and_keeps_everything_else(
    make_app: Callable[..., FastAPI], with_rules: Path, settings: Settings
):
    _, _, before = _snapshot(make_app(settings))  # the seed dir has no rules.json yet

    _, last_seq, after = _snapshot(make_app(settings.model_copy(update={"seed_dir": with_rules})))

    assert after[: len(before)] == before, "nothing seeded earlier is touched"
    assert [(kind, id, version) for kind, id, version, _ in after[len(before) :]] == [
        ("rule", "rule-rehab", 1)
    ]
    assert last_seq == len(before) + 1
    again = _snapshot(make_app(settings.model_copy(update={"seed_dir": with_rules})))
    assert again[1:] == (last_seq, after), "and only once"


def test_a_kind_whose_items_were_all_deleted_and_purged_is_not_seeded_again(
    make_app: Callable[..., FastAPI], with_rules: Path, db_url: str
):
    settings = Settings(db_url=db_url, seed_dir=with_rules)
    app = make_app(settings)
    with app.state.session_factory() as session:
        crud.delete_item(session, "rule", "rule-rehab")
        crud.purge_tombstones(session, crud.get_meta(session).last_seq)
        session.commit()

    restarted = make_app(settings)

    assert "rule" not in _kinds(restarted)


def test_a_database_from_before_seed_marks_is_not_seeded_twice(
    make_app: Callable[..., FastAPI], settings: Settings
):
    before = _snapshot(make_app(settings))
    app = make_app(settings)
    with app.state.session_factory() as session:
        session.execute(delete(CatalogSeeded))
        session.commit()

    after = _snapshot(make_app(settings))

    assert after == before
    with app.state.session_factory() as session:
        marked = set(session.scalars(select(CatalogSeeded.kind)))
    assert marked == {"district", "service", "policy", "institution"}


def test_concurrent_starts_seed_once(
    make_app: Callable[..., FastAPI], with_rules: Path, db_url: str
):
    settings = Settings(db_url=db_url, seed_dir=with_rules)
    # Tables and feed first: concurrent create_all on a brand-new SQLite file is another matter.
    make_app(settings.model_copy(update={"seed_dir": None}))
    errors: list[BaseException] = []
    barrier = threading.Barrier(6)

    def start() -> None:
        try:
            barrier.wait()
            make_app(settings)
        except BaseException as exc:  # reported below
            errors.append(exc)

    workers = [threading.Thread(target=start) for _ in range(6)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert errors == []
    _, last_seq, rows = _snapshot(make_app(settings))
    assert last_seq == len(rows) == 7
    assert all(version == 1 for _, _, version, _ in rows)
