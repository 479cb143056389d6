"""Properties of ServiceUsage.frequent over random use histories (hypothesis).

* at most ``limit`` ids, no duplicates, each one recorded for that owner;
* ordered by uses (descending), then last use (descending): checked against a model counted
  in Python from the same history;
* every recorded service shows up when the limit allows.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from services.sync.store import LocalStore
from services.usage import ServiceUsage

OWNERS = st.sampled_from(["user-1", "user-2", None])
SERVICES = st.sampled_from([f"svc-{n}" for n in range(7)])
USES = st.lists(
    st.tuples(OWNERS, SERVICES, st.integers(min_value=0, max_value=50).map(float)), max_size=40
)


@settings(max_examples=150, deadline=None, database=None)
@given(uses=USES, owner=OWNERS, limit=st.integers(min_value=0, max_value=9))
def test_frequent_is_ordered_limited_and_recorded(
    uses: list[tuple[str | None, str, float]], owner: str | None, limit: int
):
    with tempfile.TemporaryDirectory() as directory:
        store = LocalStore(Path(directory) / "store.sqlite3")
        try:
            usage = ServiceUsage(store)
            for who, service_id, at in uses:
                usage.record(who, service_id, at=at)
            result = usage.frequent(owner, limit=limit)
        finally:
            store.close()

    mine = [(service_id, at) for who, service_id, at in uses if who == owner]
    counts = {s: sum(1 for t, _ in mine if t == s) for s, _ in mine}
    last = {s: max(at for t, at in mine if t == s) for s, _ in mine}
    assert len(result) == min(limit, len(counts))
    assert len(set(result)) == len(result)
    assert set(result) <= set(counts)
    keys = [(counts[s], last[s]) for s in result]
    assert keys == sorted(keys, reverse=True)
    # nothing left out ranks above what was given
    left_out = set(counts) - set(result)
    if result and left_out:
        assert all((counts[s], last[s]) <= keys[-1] for s in left_out)
