"""The app's sync runner against the real backend: online, offline when it stops, back again."""

from __future__ import annotations

import asyncio

from app.state import SyncStatus
from app.sync_runner import SyncRunner
from services.api import ApiClient
from services.sync import CatalogSync, LocalStore
from tests.async_support import run_async


async def next_status(runner: SyncRunner, seen: int, timeout: float = 20) -> tuple[int, SyncStatus]:
    snapshot = await asyncio.wait_for(runner.wait_for_change(seen), timeout)
    return snapshot.generation, snapshot.status


def test_runner_reports_online_offline_and_online_again_without_being_asked(backend, tmp_path):
    store = LocalStore(tmp_path / "client.sqlite3")
    api = ApiClient(backend.url, timeout=2)
    runner = SyncRunner(CatalogSync(api, store), interval=0.5, offline_retry=0.2)

    async def scenario() -> list[SyncStatus]:
        seen_statuses: list[SyncStatus] = []
        runner.ensure_started()
        seen, status = await next_status(runner, 0)
        seen_statuses.append(status)
        assert store.count() > 0  # the first pull ran at start-up, before any user action
        backend.stop()
        while status is not SyncStatus.OFFLINE:
            seen, status = await next_status(runner, seen)
        seen_statuses.append(status)
        await asyncio.to_thread(backend.start)
        while status is not SyncStatus.ONLINE:
            seen, status = await next_status(runner, seen)
        seen_statuses.append(status)
        await runner.stop()
        return seen_statuses

    try:
        assert run_async(scenario()) == [SyncStatus.ONLINE, SyncStatus.OFFLINE, SyncStatus.ONLINE]
    finally:
        api.close()
        store.close()


def test_sync_now_pulls_at_once_instead_of_waiting_for_the_timer(backend, tmp_path):
    store = LocalStore(tmp_path / "client.sqlite3")
    api = ApiClient(backend.url, timeout=2)
    runner = SyncRunner(CatalogSync(api, store), interval=3600)

    async def scenario() -> int:
        runner.ensure_started()
        seen, _ = await next_status(runner, 0)
        runner.sync_now()
        seen, _ = await next_status(runner, seen, timeout=5)
        await runner.stop()
        return seen

    try:
        assert run_async(scenario()) == 2
    finally:
        api.close()
        store.close()
