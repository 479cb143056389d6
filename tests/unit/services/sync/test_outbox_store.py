"""The outbox (services/sync/outbox.py) over a real LocalStore file: order, status, ownership.

No server here: these are the queue's own guarantees, which the sender relies on -- strict
``seq`` order, a head that skips finished rows, each rejection reported once, nothing of one
person visible to another, and a row that exists exactly when the action's local change does.
"""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

import pytest

from services.api import CatalogChange
from services.sync.outbox import Outbox, OutboxStatus, Rejection
from services.sync.store import LocalStore

ALICE, BOB = "user-1", "user-2"


class Clock:
    def __init__(self, now: float = 1_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def outbox(store: LocalStore, clock: Clock) -> Outbox:
    return Outbox(store, clock)


def enqueue(outbox: Outbox, owner: str = ALICE, kind: str = "profile_edit", **payload) -> str:
    with outbox.store.transaction() as db:
        return outbox.enqueue(db, owner, kind, payload or {"n": 1})


def finish(outbox: Outbox, action_id: str) -> None:
    with outbox.store.transaction() as db:
        outbox.mark_done(db, action_id)


def ids(items) -> list[str]:
    return [item.id for item in items]


# -- writing and reading ----------------------------------------------------------------------


def test_an_enqueued_action_is_pending_with_its_payload_and_a_uuid_key(
    outbox: Outbox, clock: Clock
):
    payload = {"changes": {"address": "上海市 1 号"}, "base_version": 3, "note": None}
    action_id = enqueue(outbox, **payload)

    item = outbox.get(action_id)
    assert item is not None
    assert uuid.UUID(action_id).version == 4
    assert (item.owner, item.kind, item.payload) == (ALICE, "profile_edit", payload)
    assert (item.status, item.attempts, item.last_error) == (OutboxStatus.PENDING, 0, None)
    assert (item.next_attempt_at, item.created_at) == (0.0, clock.now)


def test_every_action_gets_its_own_key(outbox: Outbox):
    keys = {enqueue(outbox) for _ in range(50)}
    assert len(keys) == 50


def test_waiting_and_head_follow_seq_order(outbox: Outbox, clock: Clock):
    first = enqueue(outbox, n=1)
    clock.now -= 500  # a clock set back does not reorder anything: seq decides
    second = enqueue(outbox, n=2)
    third = enqueue(outbox, n=3)

    waiting = outbox.waiting(ALICE)
    assert ids(waiting) == [first, second, third]
    assert [item.seq for item in waiting] == sorted(item.seq for item in waiting)
    head = outbox.head(ALICE)
    assert head is not None and head.id == first
    assert outbox.waiting_count(ALICE) == 3


def test_head_skips_done_and_rejected_but_not_in_flight(outbox: Outbox):
    done, rejected, in_flight, pending = (enqueue(outbox) for _ in range(4))
    finish(outbox, done)
    outbox.mark_rejected(rejected, "trip_taken", "409 trip_taken: taken")
    outbox.mark_in_flight(in_flight)

    head = outbox.head(ALICE)
    assert head is not None and head.id == in_flight, "a crash mid-send: it goes again first"
    assert ids(outbox.waiting(ALICE)) == [in_flight, pending]
    assert outbox.waiting_count(ALICE) == 2
    assert outbox.statuses(ALICE) == {
        done: OutboxStatus.DONE,
        rejected: OutboxStatus.REJECTED,
        in_flight: OutboxStatus.IN_FLIGHT,
        pending: OutboxStatus.PENDING,
    }

    finish(outbox, in_flight)
    finish(outbox, pending)
    assert outbox.head(ALICE) is None
    assert outbox.waiting(ALICE) == [] and outbox.waiting_count(ALICE) == 0


def test_each_attempt_is_counted(outbox: Outbox):
    action_id = enqueue(outbox)
    for expected in (1, 2, 3):
        outbox.mark_in_flight(action_id)
        item = outbox.get(action_id)
        assert item is not None
        assert (item.status, item.attempts) == (OutboxStatus.IN_FLIGHT, expected)
        outbox.mark_waiting(action_id, "NotSentError: refused", 2_000.0)


def test_mark_waiting_keeps_the_place_and_records_why_and_when(outbox: Outbox):
    action_id = enqueue(outbox)
    behind = enqueue(outbox)
    outbox.mark_in_flight(action_id)
    outbox.mark_waiting(action_id, "x" * 2_000, 1_234.5)

    item = outbox.get(action_id)
    assert item is not None
    assert (item.status, item.attempts, item.next_attempt_at) == (
        OutboxStatus.PENDING,
        1,
        1_234.5,
    )
    assert item.last_error == "x" * 500, "bounded"
    assert ids(outbox.waiting(ALICE)) == [action_id, behind]


def test_done_clears_the_last_error(outbox: Outbox):
    action_id = enqueue(outbox)
    outbox.mark_waiting(action_id, "NoAnswerError: read timeout", 0.0)
    finish(outbox, action_id)
    item = outbox.get(action_id)
    assert item is not None and (item.status, item.last_error) == (OutboxStatus.DONE, None)


def test_each_rejection_is_taken_once_in_order(outbox: Outbox):
    first = enqueue(outbox, kind="inbox_reply", item_id=7)
    enqueue(outbox)
    second = enqueue(outbox, kind="profile_edit", base_version=2)
    outbox.mark_rejected(second, "precondition_failed", "412 precondition_failed")
    outbox.mark_rejected(first, "not_found", "404 not_found")

    assert outbox.take_rejections(ALICE) == [
        Rejection(first, "inbox_reply", {"item_id": 7}, "not_found"),
        Rejection(second, "profile_edit", {"base_version": 2}, "precondition_failed"),
    ]
    assert outbox.take_rejections(ALICE) == []

    third = enqueue(outbox)
    outbox.mark_rejected(third, "trip_taken", "409")
    assert [r.id for r in outbox.take_rejections(ALICE)] == [third]


def test_rejections_survive_a_restart_until_taken(path: Path, outbox: Outbox, store_key: bytes):
    action_id = enqueue(outbox)
    outbox.mark_rejected(action_id, "trip_taken", "409 trip_taken")
    outbox.store.close()

    reopened = LocalStore(path, key=store_key)
    try:
        assert [r.id for r in Outbox(reopened).take_rejections(ALICE)] == [action_id]
        assert Outbox(reopened).take_rejections(ALICE) == []
    finally:
        reopened.close()


def test_forget_finished_drops_only_old_finished_rows(outbox: Outbox, clock: Clock):
    old_done = enqueue(outbox)
    old_reported = enqueue(outbox)
    old_unreported = enqueue(outbox)
    old_pending = enqueue(outbox)
    old_in_flight = enqueue(outbox)
    clock.now += 100
    new_done = enqueue(outbox)
    finish(outbox, old_done)
    finish(outbox, new_done)
    outbox.mark_rejected(old_reported, "trip_taken", "409")
    assert [r.id for r in outbox.take_rejections(ALICE)] == [old_reported]
    outbox.mark_rejected(old_unreported, "not_found", "404")  # not told to the person yet
    outbox.mark_in_flight(old_in_flight)

    assert outbox.forget_finished(older_than=clock.now) == 2

    assert outbox.get(old_done) is None and outbox.get(old_reported) is None
    assert outbox.get(new_done) is not None, "newer than the cut-off"
    assert ids(outbox.waiting(ALICE)) == [old_pending, old_in_flight], "waiting rows stay"
    assert [r.id for r in outbox.take_rejections(ALICE)] == [old_unreported]
    assert outbox.forget_finished(older_than=clock.now + 1) == 2
    assert outbox.forget_finished(older_than=clock.now + 1) == 0
    assert outbox.waiting_count(ALICE) == 2


def test_seq_is_never_reused_after_rows_are_forgotten(outbox: Outbox, clock: Clock):
    first, second = enqueue(outbox), enqueue(outbox)
    finish(outbox, first)
    finish(outbox, second)
    top = max(item.seq for item in map(outbox.get, (first, second)) if item is not None)
    clock.now += 10
    assert outbox.forget_finished(older_than=clock.now) == 2

    later = enqueue(outbox)
    item = outbox.get(later)
    assert item is not None and item.seq > top


# -- ownership ----------------------------------------------------------------------------------


def test_another_owners_actions_are_invisible(outbox: Outbox):
    mine = enqueue(outbox, ALICE)
    theirs = enqueue(outbox, BOB)
    theirs_rejected = enqueue(outbox, BOB)
    outbox.mark_rejected(theirs_rejected, "not_found", "404")

    assert ids(outbox.waiting(ALICE)) == [mine]
    head = outbox.head(ALICE)
    assert head is not None and head.id == mine
    assert outbox.waiting_count(ALICE) == 1
    assert set(outbox.statuses(ALICE)) == {mine}
    assert outbox.take_rejections(ALICE) == []

    finish(outbox, mine)
    assert outbox.head(ALICE) is None, "BOB's pending action is not ALICE's head"
    assert outbox.waiting_count(BOB) == 1
    assert [r.id for r in outbox.take_rejections(BOB)] == [theirs_rejected], "still unreported"
    assert ids(outbox.waiting(BOB)) == [theirs]


def test_an_unknown_owner_has_an_empty_queue(outbox: Outbox):
    enqueue(outbox, ALICE)
    assert outbox.head("nobody") is None
    assert outbox.waiting("nobody") == [] and outbox.waiting_count("nobody") == 0
    assert outbox.statuses("nobody") == {} and outbox.take_rejections("nobody") == []


# -- atomic with the local change -------------------------------------------------------------


class Interrupted(Exception):
    pass


def test_a_failed_transaction_leaves_neither_the_change_nor_the_action(outbox: Outbox):
    with pytest.raises(Interrupted), outbox.store.transaction() as db:
        db.execute("INSERT INTO personal_data (key, value) VALUES ('draft', '\"新地址\"')")
        outbox.enqueue(db, ALICE, "profile_edit", {"n": 1})
        raise Interrupted  # e.g. the app is closed between the two writes

    assert outbox.waiting(ALICE) == []
    assert outbox.store.read("SELECT COUNT(*) FROM outbox") == [(0,)]
    assert outbox.store.read("SELECT COUNT(*) FROM personal_data") == [(0,)]


def test_a_failed_enqueue_rolls_back_the_change_made_before_it(outbox: Outbox):
    with pytest.raises(TypeError), outbox.store.transaction() as db:
        db.execute("INSERT INTO personal_data (key, value) VALUES ('draft', '1')")
        outbox.enqueue(db, ALICE, "profile_edit", {"not json": object()})

    assert outbox.store.read("SELECT COUNT(*) FROM personal_data") == [(0,)]
    assert outbox.store.read("SELECT COUNT(*) FROM outbox") == [(0,)]


def test_a_committed_action_is_seen_by_another_connection(outbox: Outbox, path: Path):
    action_id = enqueue(outbox)
    other = sqlite3.connect(path)
    try:
        assert other.execute("SELECT id, status FROM outbox").fetchall() == [(action_id, "pending")]
    finally:
        other.close()


# -- signing out ------------------------------------------------------------------------------


def test_wipe_personal_removes_the_outbox_and_personal_data_but_not_the_catalogue(
    outbox: Outbox, path: Path
):
    store = outbox.store
    store.apply_page(
        [CatalogChange(kind="service", id="svc", version=1, deleted=False, data={"id": "svc"})],
        "cursor-1",
        last=True,
    )
    secret = "王小明 13911112222"
    with store.transaction() as db:
        db.execute("INSERT INTO personal_data (key, value) VALUES ('owner', ?)", (ALICE,))
        db.execute("INSERT INTO personal_data (key, value) VALUES ('me', ?)", (f'"{secret}"',))
        outbox.enqueue(db, ALICE, "profile_edit", {"emergency_contact": secret})
    rejected = enqueue(outbox, BOB)
    outbox.mark_rejected(rejected, "not_found", "404")
    store.read("PRAGMA wal_checkpoint(TRUNCATE)")  # the rows reached the main file

    store.wipe_personal()

    assert store.read("SELECT COUNT(*) FROM outbox") == [(0,)]
    assert store.read("SELECT COUNT(*) FROM personal_data") == [(0,)]
    assert outbox.take_rejections(BOB) == []
    assert store.count() == 1 and store.cursor() == "cursor-1", "the catalogue is not personal"
    for file in path.parent.iterdir():
        assert secret.encode() not in file.read_bytes(), file.name
