"""Start-up and catalogue-pull figures for the walking skeleton (issue 2). Not a timed test.

Prints:
- seconds from ``main.py --web`` process start to screen-home showing the catalogue in headless
  Chromium, cold (fresh data dir and web overlay) and warm (second start, everything cached);
- seconds and bytes to pull 10,000 synthetic catalogue items into an empty local store, and the
  same pull repeated as a no-op delta, with the ratios, measured side by side in this run.

Run: ``make bench`` (or ``.venv/bin/python bench/startup.py``).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "browser")]

from flet_page import CHROMIUM, CHROMIUM_ARGS, AppProcess, FletPage  # noqa: E402

from backend import crud  # noqa: E402
from backend.core.config import Settings  # noqa: E402
from backend.core.db import create_db_engine, create_session_factory  # noqa: E402
from backend.embedded import EmbeddedBackend, free_port  # noqa: E402
from backend.main import create_app, load_keys  # noqa: E402
from services.api import ApiClient  # noqa: E402
from services.sync import CatalogSync, LocalStore  # noqa: E402

SYNTHETIC_ITEMS = 10_000


def time_to_home(
    browser, work: Path, data_dir: Path, cache_dir: Path, label: str
) -> tuple[float, float]:
    """(seconds until the server answers, seconds until screen-home shows the catalogue)."""
    app = AppProcess(
        free_port(), data_dir, work / f"{label}.log", env={"SUNSHINE_CACHE_DIR": str(cache_dir)}
    )
    try:
        serving = app.wait_until_serving()
        page = FletPage(browser, app.url)
        page.open()
        page.wait_for("screen-home", timeout_ms=120_000)
        page.wait_for("district-310101", timeout_ms=120_000)
        seconds = time.monotonic() - app.started_at
        page.page.close()
        return serving, seconds
    finally:
        app.stop()


def synthetic_backend(work: Path) -> Settings:
    settings = Settings(env="dev", data_dir=work / "server", seed_dir=None)
    create_app(settings)  # tables and feed meta
    engine = create_db_engine(settings.db_url, load_keys(settings))
    with create_session_factory(engine)() as session:
        for n in range(SYNTHETIC_ITEMS):
            crud.upsert_item(
                session,
                "service",
                f"svc-synthetic-{n:05d}",
                {
                    "id": f"svc-synthetic-{n:05d}",
                    "name": f"合成服务事项 {n}",
                    "category": "补贴津贴",
                    "description": "用于基准测试的合成服务事项，说明文字长度与真实事项相近。" * 3,
                    "keywords": ["合成", "基准", f"k{n % 97}"],
                    "popularity": n % 100,
                },
            )
        session.commit()
    engine.dispose()
    return settings


class ByteCounter(httpx.HTTPTransport):
    """The real transport, counting response body bytes as they arrive."""

    received = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        response.read()
        self.received += len(response.content)
        return response


def pull_figures(work: Path) -> None:
    settings = synthetic_backend(work)
    with EmbeddedBackend(settings) as backend:
        counter = ByteCounter()
        store = LocalStore(work / "client.sqlite3")
        sync = CatalogSync(ApiClient(backend.url, transport=counter), store)
        started = time.perf_counter()
        full = sync.pull()
        full_seconds = time.perf_counter() - started
        full_bytes, counter.received = counter.received, 0
        started = time.perf_counter()
        delta = sync.pull()
        delta_seconds = time.perf_counter() - started
        delta_bytes = counter.received
        store.close()
    assert full.changes == SYNTHETIC_ITEMS and delta.changes == 0
    print(
        f"pull {SYNTHETIC_ITEMS:,} items, full:   {full_seconds:8.3f} s  {full_bytes / 1e6:8.2f} MB  ({full.pages} pages)"
    )
    print(
        f"pull again, no-op delta: {delta_seconds:8.3f} s  {delta_bytes / 1e3:8.2f} KB  ({delta.pages} page)"
    )
    print(
        f"ratio full/delta: time {full_seconds / delta_seconds:,.0f}x, bytes {full_bytes / delta_bytes:,.0f}x"
    )


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="sunshine-bench-") as tmp:
        work = Path(tmp)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            cold = time_to_home(browser, work, work / "data", work / "cache", "cold")
            warm = time_to_home(browser, work, work / "data", work / "cache", "warm")
            browser.close()
        for label, (serving, home) in (
            ("cold (empty data dir, overlay built)", cold),
            ("warm (data and overlay cached)", warm),
        ):
            print(
                f"start-up {label:38}: server answers {serving:5.2f} s, screen-home with catalogue {home:5.2f} s"
            )
        pull_figures(work)


if __name__ == "__main__":
    main()
