"""Sync figures (issue 4): outbox drain rate with and without injected faults, and catalogue
delta bytes against a full download. Not a timed test; everything is measured side by side in
this run, against the reference backend over real HTTP.

Prints:
- the outbox drain rate (actions/s) for the same 300 queued actions (2/3 profile edits, 1/3
  inbox answers) on a clean link and through ``tests/fault_transport.py`` at a 30 % fault rate,
  and the ratio. Retry waits are shrunk to milliseconds (the app waits 0.5 s and more) so the
  figure measures round trips and resends, not backoff sleeps; the server's Retry-After is
  honoured as the app honours it;
- bytes of a full catalogue pull of 10,000 synthetic items, bytes of the delta pull after 1 % of
  them changed, and the ratio.

Run: ``make bench`` (or ``.venv/bin/python bench/sync.py``).
"""

from __future__ import annotations

import itertools
import logging
import random
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from app.features import OUTBOX_KINDS  # noqa: E402
from backend import crud  # noqa: E402
from backend.core.config import Settings  # noqa: E402
from backend.core.db import create_db_engine, create_session_factory  # noqa: E402
from backend.crud import get_user_by_phone  # noqa: E402
from backend.embedded import EmbeddedBackend  # noqa: E402
from backend.main import load_keys  # noqa: E402
from backend.models import ActivityEntry, InboxItem  # noqa: E402
from bench.startup import SYNTHETIC_ITEMS, ByteCounter, synthetic_backend  # noqa: E402
from services.account.tokens import MemoryTokenStore  # noqa: E402
from services.api import ApiClient  # noqa: E402
from services.client import PersonalServices, build_personal_services  # noqa: E402
from services.sync import CatalogSync, LocalStore  # noqa: E402
from services.sync.sender import DrainStop, RetryPolicy  # noqa: E402
from tests.fault_transport import PASS, FaultTransport  # noqa: E402

DEV_CODE = "246810"
ACTIONS = 300
FAULT_RATE = 0.30
CHANGED_SHARE = 0.01
SEED = 4
ROUNDS = 3
POLICY = RetryPolicy(
    attempts=4, wait_initial=0.001, wait_max=0.01, wait_jitter=0.001, pause_initial=0.0
)


# -- outbox drain rate ------------------------------------------------------------------------


def queue_actions(client: PersonalServices, inbox: list[int], rng: random.Random) -> list[str]:
    actions = []
    for n in range(ACTIONS):
        if n % 3 == 2:
            actions.append(client.personal.reply_inbox(rng.choice(inbox), "interested"))
        else:
            actions.append(client.personal.edit_contact({"address": f"基准地址 {n} 号"}))
    return actions


@dataclass
class DrainRun:
    seconds: float
    requests: int
    drains: int
    injected: Counter[str]
    answered: Counter[int]

    @property
    def rate(self) -> float:
        return ACTIONS / self.seconds


def drain_run(backend_url: str, sessions, work: Path, run: int, rate: float) -> DrainRun:
    """Queue ACTIONS for a new person offline, then time draining them all to the server."""
    phone = f"1390000{run:04d}"
    transport = FaultTransport(0.0, rng=random.Random(SEED + run))
    client = build_personal_services(
        ApiClient(backend_url, timeout=10.0, transport=transport),
        LocalStore(work / f"drain-{run}.sqlite3"),
        MemoryTokenStore(),
        OUTBOX_KINDS,
        POLICY,
    )
    client.account.sign_in(phone, DEV_CODE)
    with sessions() as session:  # read, then write in a transaction of its own (SQLite)
        user = get_user_by_phone(session, phone)
        assert user is not None
        user_id = user.id
    with sessions() as session:
        items = [
            InboxItem(user_id=user_id, title=f"政策 {n}", body="—", created_at=datetime.now(UTC))
            for n in range(3)
        ]
        session.add_all(items)
        session.commit()
        inbox = [item.id for item in items]
    client.personal.refresh()
    actions = queue_actions(client, inbox, random.Random(SEED))
    transport.reset_counts()
    transport.rate = rate

    drains = 0
    started = time.perf_counter()
    while True:
        result = client.sender.drain()
        drains += 1
        assert result.rejected == 0 and result.stopped is not DrainStop.SIGNED_OUT, result
        if result.stopped is DrainStop.EMPTY:
            break
        if result.retry_at is not None:  # as the app's runner waits, without its 1 s floor
            time.sleep(max(0.0, result.retry_at - time.time()))
    seconds = time.perf_counter() - started
    transport.close()
    client.account.store.close()

    with sessions() as session:
        keys = session.scalars(
            select(ActivityEntry.request_key)
            .where(ActivityEntry.user_id == user_id)
            .order_by(ActivityEntry.id)
        )
        assert list(keys) == actions, "lost, repeated or reordered"
    return DrainRun(seconds, transport.requests, drains, transport.injected, transport.answered)


def drain_figures(work: Path) -> None:
    settings = Settings(
        env="dev", data_dir=work / "drain-server", seed_dir=None, dev_login_code=DEV_CODE
    )
    modes = {"no faults": 0.0, f"{FAULT_RATE:.0%} faults": FAULT_RATE}
    runs: dict[str, list[DrainRun]] = {label: [] for label in modes}
    with EmbeddedBackend(settings) as backend:
        quiet_logs()
        engine = create_db_engine(settings.db_url, load_keys(settings))
        sessions = create_session_factory(engine)
        run = itertools.count()
        for _ in range(ROUNDS):  # interleaved, so both modes see the same machine
            for label, rate in modes.items():
                runs[label].append(drain_run(backend.url, sessions, work, next(run), rate))
        engine.dispose()
    medians = {}
    for label, done in runs.items():
        median = sorted(done, key=lambda r: r.rate)[len(done) // 2]
        medians[label] = median.rate
        each = ", ".join(f"{r.rate:.0f}" for r in done)
        print(
            f"outbox drain, {ACTIONS} actions, {label:>10}: {median.rate:6.1f} actions/s median "
            f"of {ROUNDS} runs ({each}); {median.requests} requests, {median.drains} drains"
        )
        injected = Counter()
        answered = Counter()
        for r in done:
            injected.update(r.injected)
            answered.update(r.answered)
        faults = {kind: n for kind, n in sorted(injected.items()) if kind != PASS}
        if faults:
            print(f"    injected over the {ROUNDS} runs: {faults}")
            print(
                f"    the server's own answers that got through: {dict(sorted(answered.items()))}"
            )
    clean, faulty = medians.values()
    print(
        f"ratio drain rate, no faults / {FAULT_RATE:.0%} faults: {clean / faulty:.2f}x "
        "(every action applied once, in order, in every run)"
    )


# -- catalogue delta against a full download ----------------------------------------------------


def delta_figures(work: Path) -> None:
    settings = synthetic_backend(work)
    changed = int(SYNTHETIC_ITEMS * CHANGED_SHARE)
    with EmbeddedBackend(settings) as backend:
        quiet_logs()
        counter = ByteCounter()
        store = LocalStore(work / "catalog-client.sqlite3")
        sync = CatalogSync(ApiClient(backend.url, transport=counter), store)
        full = sync.pull()
        full_bytes, counter.received = counter.received, 0

        engine = create_db_engine(settings.db_url, load_keys(settings))
        with create_session_factory(engine)() as session:
            for n in random.Random(SEED).sample(range(SYNTHETIC_ITEMS), changed):
                item_id = f"svc-synthetic-{n:05d}"
                data = dict(store.item("service", item_id) or {})
                data["popularity"] = (data["popularity"] + 1) % 100
                data["name"] = f"{data['name']}（已更新）"
                crud.upsert_item(session, "service", item_id, data)
            session.commit()
        engine.dispose()

        delta = sync.pull()
        delta_bytes = counter.received
        updated = sum(1 for item in store.items("service") if item["name"].endswith("（已更新）"))
        store.close()
    assert full.changes == SYNTHETIC_ITEMS and delta.changes == changed == updated, (full, delta)
    print(
        f"catalogue, full pull of {SYNTHETIC_ITEMS:,} items: {full_bytes / 1e6:8.2f} MB  ({full.pages} pages)"
    )
    print(
        f"catalogue, delta after {changed} ({CHANGED_SHARE:.0%}) changed: {delta_bytes / 1e3:8.2f} KB  ({delta.pages} page)"
    )
    print(
        f"ratio full / delta bytes: {full_bytes / delta_bytes:,.0f}x "
        f"(delta = {delta_bytes / full_bytes:.2%} of full)"
    )


def quiet_logs() -> None:
    """Each retry is logged by stamina, and the reference backend logs a traceback for any 500
    it gives; the figures count those, so keep the noise out. Called after the server starts:
    uvicorn sets its levels then."""
    logging.getLogger("stamina").setLevel(logging.ERROR)
    logging.getLogger("uvicorn.error").setLevel(logging.CRITICAL)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="sunshine-bench-sync-") as tmp:
        work = Path(tmp)
        drain_figures(work)
        delta_figures(work)


if __name__ == "__main__":
    main()
