"""DESIGN.md §5 on every route of §6, in standard mode, 长辈版 and at 200 % text, at 360 px width.

One app per mode, started with its ``preferences.json`` already in the data dir, and one browser
tab per mode that visits every route by URL. New routes in app.routes.ROUTES are covered without
touching this file. Screenshots land in test-artifacts/a11y/<mode>-<route>.png; ``make
a11y-report`` (tools/a11y_report.py) prints the same measurements as a table.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from a11y_audit import CONFIGS, AuditConfig, audit_route, settle
from flet_page import AppProcess, FletPage

from app.routes import ROUTES

pytestmark = pytest.mark.browser


@dataclass
class Mode:
    config: AuditConfig
    app: AppProcess
    page: FletPage


@pytest.fixture(scope="module", params=CONFIGS, ids=[c.name for c in CONFIGS])
def mode(request, browser, launcher, tmp_path_factory) -> Iterator[Mode]:
    """The app in one display mode, and a tab on it that has seen the catalogue arrive."""
    config: AuditConfig = request.param
    data_dir = tmp_path_factory.mktemp(f"a11y-{config.name}")
    config.write_preferences(data_dir)
    app = launcher(data_dir=data_dir)
    page = FletPage(browser, app.url, width=config.width, height=config.height)
    page.open()
    page.wait_for("screen-home")
    # The first sync fills the local store, so record screens (service, district) have data.
    page.wait_for("district-310101", timeout_ms=60_000)
    settle(page)
    yield Mode(config, app, page)
    page.page.close()
    app.stop()


@pytest.mark.parametrize("route", ROUTES, ids=[r.pattern for r in ROUTES])
def test_screen_meets_the_accessibility_requirements(mode, route, artifacts):
    audit = audit_route(
        mode.page,
        mode.app.url,
        mode.config,
        route.pattern,
        route.identifier,
        artifacts / "a11y",
    )
    assert audit.controls >= 1, f"{route.pattern}: no control found (not even the way back)"
    assert audit.problems() == [], (
        f"{route.pattern} in {mode.config.name} ({audit.screenshot}):\n  "
        + "\n  ".join(audit.problems())
    )
