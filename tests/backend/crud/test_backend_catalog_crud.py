"""crud: versions, seqs, tombstones, purge horizon, and writers that never collide."""

import itertools
import threading
from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from sqlalchemy.orm import Session

from backend import crud
from backend.core.config import Settings
from backend.core.db import create_db_engine, create_session_factory


@pytest.fixture
def unseeded(db_url: str) -> Settings:
    return Settings(db_url=db_url, seed_dir=None)


@pytest.fixture
def empty_session(make_app: Callable[..., FastAPI], unseeded: Settings) -> Iterator[Session]:
    app = make_app(unseeded)
    with app.state.session_factory() as session:
        yield session


def test_new_item_gets_version_1_and_the_next_seq(empty_session: Session):
    item = crud.upsert_item(empty_session, "service", "s1", {"id": "s1", "name": "a"})
    empty_session.commit()

    assert (item.version, item.seq, item.deleted) == (1, 1, False)
    assert crud.get_meta(empty_session).last_seq == 1


def test_same_data_in_another_key_order_is_a_no_op(empty_session: Session):
    crud.upsert_item(empty_session, "service", "s1", {"id": "s1", "a": 1, "b": [1, 2]})
    item = crud.upsert_item(empty_session, "service", "s1", {"b": [1, 2], "a": 1, "id": "s1"})
    empty_session.commit()

    assert (item.version, item.seq) == (1, 1)
    assert crud.get_meta(empty_session).last_seq == 1


def test_changed_data_bumps_version_and_moves_the_item_to_the_end_of_the_feed(
    empty_session: Session,
):
    crud.upsert_item(empty_session, "service", "s1", {"id": "s1", "name": "a"})
    crud.upsert_item(empty_session, "policy", "p1", {"id": "p1"})
    item = crud.upsert_item(empty_session, "service", "s1", {"id": "s1", "name": "b"})
    empty_session.commit()

    assert (item.version, item.seq) == (2, 3)
    batch = crud.changes_since(empty_session, 0, 10)
    assert [(i.kind, i.id) for i in batch.items] == [("policy", "p1"), ("service", "s1")]


def test_delete_leaves_a_tombstone_and_is_idempotent(empty_session: Session):
    crud.upsert_item(empty_session, "district", "d1", {"id": "d1"})
    tombstone = crud.delete_item(empty_session, "district", "d1")
    again = crud.delete_item(empty_session, "district", "d1")
    empty_session.commit()

    assert tombstone is not None and again is not None
    assert (tombstone.deleted, tombstone.data, tombstone.version, tombstone.seq) == (
        True,
        None,
        2,
        2,
    )
    assert crud.get_meta(empty_session).last_seq == 2
    assert crud.delete_item(empty_session, "district", "missing") is None


def test_recreating_a_deleted_item_continues_its_version(empty_session: Session):
    crud.upsert_item(empty_session, "district", "d1", {"id": "d1"})
    crud.delete_item(empty_session, "district", "d1")
    item = crud.upsert_item(empty_session, "district", "d1", {"id": "d1"})

    assert (item.deleted, item.version, item.seq) == (False, 3, 3)


def test_unknown_kind_is_rejected(empty_session: Session):
    with pytest.raises(ValueError):
        crud.upsert_item(empty_session, "recipe", "r1", {"id": "r1"})


def test_changes_since_pages_in_seq_order(empty_session: Session):
    for n in range(5):
        crud.upsert_item(empty_session, "event", f"e{n}", {"id": f"e{n}"})

    first = crud.changes_since(empty_session, 0, 3)
    rest = crud.changes_since(empty_session, first.items[-1].seq, 3)

    assert [i.seq for i in first.items] == [1, 2, 3] and first.has_more
    assert [i.seq for i in rest.items] == [4, 5] and not rest.has_more


def test_purge_removes_only_old_tombstones_and_raises_the_horizon(empty_session: Session):
    for n in range(4):
        crud.upsert_item(empty_session, "rule", f"r{n}", {"id": f"r{n}"})
    crud.delete_item(empty_session, "rule", "r0")  # seq 5
    crud.delete_item(empty_session, "rule", "r1")  # seq 6
    empty_session.commit()

    removed = crud.purge_tombstones(empty_session, 5)
    empty_session.commit()

    assert removed == 1
    assert crud.get_item(empty_session, "rule", "r0") is None
    assert crud.get_item(empty_session, "rule", "r1").deleted
    assert crud.get_item(empty_session, "rule", "r2") is not None  # live items stay
    assert crud.get_meta(empty_session).horizon_seq == 5


def test_horizon_never_goes_back_nor_past_the_last_change(empty_session: Session):
    crud.upsert_item(empty_session, "rule", "r0", {"id": "r0"})
    crud.upsert_item(empty_session, "rule", "r1", {"id": "r1"})

    crud.purge_tombstones(empty_session, 99)
    assert crud.get_meta(empty_session).horizon_seq == 2
    crud.purge_tombstones(empty_session, 1)
    assert crud.get_meta(empty_session).horizon_seq == 2


def test_concurrent_writers_queue_instead_of_failing_or_sharing_seqs(
    make_app: Callable[..., FastAPI], unseeded: Settings, db_url: str
):
    make_app(unseeded)  # tables and meta row
    engine = create_db_engine(db_url)
    factory = create_session_factory(engine)
    errors: list[BaseException] = []
    writes_per_thread, threads = 15, 4

    def write(worker: int) -> None:
        try:
            for n in range(writes_per_thread):
                with factory() as session:
                    shared = {"id": "shared", "worker": worker, "n": n}
                    crud.upsert_item(session, "event", "shared", shared)
                    crud.upsert_item(session, "event", f"own-{worker}", {"id": "x", "n": n})
                    session.commit()
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    workers = [threading.Thread(target=write, args=(w,)) for w in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    try:
        assert errors == []
        with factory() as session:
            shared = crud.get_item(session, "event", "shared")
            meta = crud.get_meta(session)
            feed = crud.changes_since(session, 0, 1000).items
        assert shared.version == writes_per_thread * threads
        assert all(a.seq < b.seq for a, b in itertools.pairwise(feed))
        assert feed[-1].seq == meta.last_seq
    finally:
        engine.dispose()
