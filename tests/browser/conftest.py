"""Browser fixtures: Debian's Chromium driven by Playwright (never a downloaded browser)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from flet_page import CHROMIUM, REPO_ROOT, AppProcess, Tabs
from playwright.sync_api import sync_playwright

from backend.embedded import free_port

ARTIFACTS = REPO_ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tabs]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test`, which installs Debian's chromium")
    with sync_playwright() as playwright:
        tabs = Tabs(playwright, tmp_path_factory.mktemp("chromium-profile"))
        yield tabs
        tabs.close()


@pytest.fixture(autouse=True)
def close_tabs_after_each_test(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test's tabs close when it ends. A tab left on an app that has stopped keeps trying to
    reconnect and draws its progress animation, a core's worth of CPU for the rest of the run."""
    if "browser" not in request.fixturenames:
        yield
        return
    tabs: Tabs = request.getfixturevalue("browser")
    first = len(tabs.opened)
    yield
    tabs.close_since(first)


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One web overlay for the whole run, built by the first app started."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def seed() -> dict[str, list[dict]]:
    seed_dir = REPO_ROOT / "assets" / "seed"
    return {
        kind: json.loads((seed_dir / f"{kind}.json").read_text(encoding="utf-8"))
        for kind in ("districts", "services", "institutions")
    }


class AppLauncher:
    """Starts ``main.py --web`` apps on free ports, each with its own data dir unless given one."""

    def __init__(self, base: Path, cache_dir: Path) -> None:
        self.base = base
        self.cache_dir = cache_dir
        self.started: list[AppProcess] = []

    def __call__(
        self, *args: str, data_dir: Path | None = None, env: dict[str, str] | None = None
    ) -> AppProcess:
        n = len(self.started)
        app = AppProcess(
            free_port(),
            data_dir or self.base / f"data{n}",
            self.base / f"app{n}.log",
            *args,
            env={"SUNSHINE_CACHE_DIR": str(self.cache_dir), **(env or {})},
        )
        self.started.append(app)
        app.wait_until_serving()
        return app

    def stop_all(self) -> None:
        """All at once: each app gets its interrupt before the first is waited for."""
        for app in self.started:
            app.interrupt()
        for app in self.started:
            app.stop()


def _launch_apps(
    tmp_path_factory: pytest.TempPathFactory, cache_dir: Path
) -> Iterator[AppLauncher]:
    launcher = AppLauncher(tmp_path_factory.mktemp("apps"), cache_dir)
    yield launcher
    launcher.stop_all()


@pytest.fixture
def launcher(tmp_path_factory: pytest.TempPathFactory, cache_dir: Path) -> Iterator[AppLauncher]:
    """Apps for one test, stopped when it ends: none is left polling a backend that has gone."""
    yield from _launch_apps(tmp_path_factory, cache_dir)


@pytest.fixture(scope="module")
def module_launcher(
    tmp_path_factory: pytest.TempPathFactory, cache_dir: Path
) -> Iterator[AppLauncher]:
    """Apps for a module's shared fixtures, stopped when the module ends."""
    yield from _launch_apps(tmp_path_factory, cache_dir)


@pytest.fixture(scope="module")
def app(module_launcher: AppLauncher) -> AppProcess:
    """One app (embedded backend, fresh data) shared by a module's read-only tests."""
    return module_launcher()
