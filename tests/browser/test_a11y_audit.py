"""DESIGN.md §5 on every route of §6 at 360 px width: standard, 长辈版, 200 % text, high contrast
and 长辈版 at 200 % (the largest text, where long labels first run out of room).

One app per mode, started with its ``preferences.json`` already in the data dir, and one browser
tab per mode that goes to every route inside the app, as a person does (where focus lands on
arriving is part of the audit); that every route also loads by URL is the walking skeleton's
test. New routes in app.routes.ROUTES are covered without touching this file. Screenshots land in test-artifacts/a11y/<mode>-<route>.png; ``make
a11y-report`` (tools/a11y_report.py) prints the same measurements as a table.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from a11y_audit import (
    CONFIGS,
    AuditConfig,
    ScreenAudit,
    audit_route,
    contrast_ratio,
    cut_off_at,
    settle,
    text_and_background,
)
from flet_page import AppProcess, FletPage
from PIL import Image, ImageDraw

from accessibility.theme import look_for
from app.routes import ROUTES


@dataclass
class Mode:
    config: AuditConfig
    app: AppProcess
    page: FletPage


@pytest.fixture(scope="module", params=CONFIGS, ids=[c.name for c in CONFIGS])
def mode(request, browser, module_launcher, tmp_path_factory) -> Iterator[Mode]:
    """The app in one display mode, and a tab on it that has seen the catalogue arrive."""
    config: AuditConfig = request.param
    data_dir = tmp_path_factory.mktemp(f"a11y-{config.name}")
    config.write_preferences(data_dir)
    app = module_launcher(data_dir=data_dir)
    page = FletPage(browser, app.url, width=config.width, height=config.height)
    page.open()
    page.wait_for("screen-home")
    # The first sync fills the local store, so record screens (service, district) have data.
    page.wait_for("district-310101", timeout_ms=60_000)
    settle(page)
    yield Mode(config, app, page)
    page.page.close()
    app.stop()


@pytest.mark.browser
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
    # The mode really is in force: the h1 is as tall as this look's heading size makes it.
    prefs = mode.config.preferences_json()
    look = look_for(prefs["large_text"], prefs["high_contrast"], prefs["text_scale"])
    h1_height = mode.page.page.evaluate(
        "() => document.querySelector('h1').getBoundingClientRect().height"
    )
    assert h1_height >= look.scale.heading * 1.3, (route.pattern, h1_height, look.scale.heading)


# --- the measuring tools themselves, on known pictures -------------------------------------------


def test_contrast_ratio_is_wcag_2():
    assert contrast_ratio((0, 0, 0), (255, 255, 255)) == pytest.approx(21)
    assert contrast_ratio((0x77, 0x77, 0x77), (255, 255, 255)) == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio((0x0A, 0x4F, 0x9E), (0xFD, 0xFC, 0xFF)) == pytest.approx(7.83, abs=0.01)
    assert contrast_ratio((9, 9, 9), (9, 9, 9)) == 1


def test_text_colour_is_the_frequent_colour_farthest_from_the_background():
    image = Image.new("RGB", (80, 30), (248, 249, 255))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 79, 29), outline=(0x73, 0x77, 0x7F))  # a border, less extreme than text
    draw.rectangle((10, 8, 60, 20), fill=(0x0A, 0x4F, 0x9E))  # the "text"
    image.putpixel((70, 15), (0, 0, 0))  # one stray pixel is not text
    assert text_and_background(image) == ((0x0A, 0x4F, 0x9E), (248, 249, 255))
    assert text_and_background(Image.new("RGB", (5, 5), (1, 2, 3))) == ((1, 2, 3), (1, 2, 3))


def test_glyphs_cut_by_an_edge_are_told_from_borders_and_corners():
    background, ink = (255, 255, 255), (0, 0, 0)
    cut = Image.new("RGB", (40, 30), background)
    ImageDraw.Draw(cut).rectangle((30, 8, 39, 12), fill=ink)  # a stroke running into the edge
    assert cut_off_at(cut, 39, 0, 30, ink, background)
    border = Image.new("RGB", (40, 30), background)
    ImageDraw.Draw(border).line((39, 3, 39, 26), fill=ink)
    assert not cut_off_at(border, 39, 0, 30, ink, background)
    corner = Image.new("RGB", (40, 30), background)
    ImageDraw.Draw(corner).rectangle((36, 0, 39, 3), fill=ink)
    assert not cut_off_at(corner, 39, 0, 30, ink, background)
    assert not cut_off_at(cut, 20, 0, 30, ink, background)


def test_the_audit_wants_one_choice_per_group_a_named_focus_and_the_screens_title():
    audit = ScreenAudit("/trips/new", "screen-trip-new", "standard", 48, 4.5, h1_count=1)
    audit.choice_groups = {
        "choices-trip-day": (1, 7),
        "choices-optional-trip-district": (0, 16),  # not chosen yet: allowed
        "language": (1, 2),
    }
    audit.title = audit.expected_title = "请求助盲出行 - 阳光申办"
    assert audit.problems() == []

    audit.choice_groups = {"choices-trip-day": (0, 7), "choices-optional-inbox-reply-1": (2, 3)}
    audit.title = "阳光申办"
    audit.focus_named, audit.focus_after_navigation = False, "flutter-view “”"
    assert audit.problems() == [
        "title “阳光申办”, not “请求助盲出行 - 阳光申办”",
        "after navigating here, focus is on flutter-view “” (not the heading or a control with a"
        " short name)",
        "choice group choices-trip-day: 0 of 7 chosen, not exactly one",
        "choice group choices-optional-inbox-reply-1: 2 of 3 chosen, not exactly one",
    ]
