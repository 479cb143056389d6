"""High-frequency services (services/usage.py), counted locally per owner in the store."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.sync.store import LocalStore
from services.usage import ServiceUsage

ALICE, BOB = "user-1", "user-2"


@pytest.fixture
def usage(store: LocalStore) -> ServiceUsage:
    return ServiceUsage(store, clock=lambda: 1_000.0)


def record(usage: ServiceUsage, owner: str | None, *uses: tuple[str, float]) -> None:
    for service_id, at in uses:
        usage.record(owner, service_id, at=at)


def test_nothing_recorded_is_empty(usage: ServiceUsage):
    assert usage.frequent(ALICE) == []
    assert usage.frequent(None) == []


def test_a_service_used_once_is_frequent(usage: ServiceUsage):
    usage.record(ALICE, "svc-a")
    assert usage.frequent(ALICE) == ["svc-a"]


def test_most_used_first_then_most_recent(usage: ServiceUsage):
    record(usage, ALICE, ("svc-a", 1), ("svc-b", 2), ("svc-b", 3), ("svc-c", 10), ("svc-d", 4))
    # b: 2 uses; then a (1 use, at 1), c (at 10), d (at 4) by most recent use
    assert usage.frequent(ALICE) == ["svc-b", "svc-c", "svc-d", "svc-a"]


def test_the_limit_keeps_the_top(usage: ServiceUsage):
    for n in range(8):
        for _ in range(n + 1):
            usage.record(ALICE, f"svc-{n}", at=float(n))
    assert usage.frequent(ALICE) == ["svc-7", "svc-6", "svc-5", "svc-4", "svc-3"], "default 5"
    assert usage.frequent(ALICE, limit=2) == ["svc-7", "svc-6"]
    assert usage.frequent(ALICE, limit=0) == []
    assert usage.frequent(ALICE, limit=-1) == []
    assert len(usage.frequent(ALICE, limit=100)) == 8


def test_counts_and_last_use_are_stored(usage: ServiceUsage, store: LocalStore):
    record(usage, ALICE, ("svc-a", 5), ("svc-a", 9), ("svc-a", 7))  # a late, older record
    assert store.read("SELECT owner, service_id, uses, last_used FROM service_usage") == [
        (ALICE, "svc-a", 3, 9.0)
    ]


def test_the_clock_is_used_when_no_time_is_given(usage: ServiceUsage, store: LocalStore):
    usage.record(ALICE, "svc-a")
    assert store.read("SELECT last_used FROM service_usage") == [(1_000.0,)]


def test_owners_are_kept_apart_and_signed_out_is_its_own(usage: ServiceUsage, store: LocalStore):
    record(usage, ALICE, ("svc-a", 1))
    record(usage, BOB, ("svc-b", 1))
    record(usage, None, ("svc-c", 1))
    assert usage.frequent(ALICE) == ["svc-a"]
    assert usage.frequent(BOB) == ["svc-b"]
    assert usage.frequent(None) == ["svc-c"]
    assert store.read("SELECT owner FROM service_usage WHERE service_id = 'svc-c'") == [("",)]


def test_forget_drops_one_owner_only(usage: ServiceUsage):
    record(usage, ALICE, ("svc-a", 1))
    record(usage, BOB, ("svc-b", 1))
    record(usage, None, ("svc-c", 1))
    usage.forget(ALICE)
    assert usage.frequent(ALICE) == []
    assert usage.frequent(BOB) == ["svc-b"]
    usage.forget(None)
    assert usage.frequent(None) == []
    assert usage.frequent(BOB) == ["svc-b"]


def test_counts_survive_a_restart_on_an_own_device(path: Path, usage: ServiceUsage):
    record(usage, ALICE, ("svc-a", 1), ("svc-a", 2))
    usage.store.close()
    reopened = LocalStore(path)
    try:
        assert ServiceUsage(reopened).frequent(ALICE) == ["svc-a"]
        assert reopened.read("SELECT uses FROM service_usage") == [(2,)]
    finally:
        reopened.close()


def test_sign_out_wipe_clears_every_owners_counts(usage: ServiceUsage, store: LocalStore):
    record(usage, ALICE, ("svc-a", 1))
    record(usage, None, ("svc-c", 1))
    store.wipe_personal()
    assert usage.frequent(ALICE) == [] and usage.frequent(None) == []
