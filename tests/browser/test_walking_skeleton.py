"""The thinnest whole path: embedded backend → sync → local store → home in a real browser."""

from __future__ import annotations

import re

import httpx
import pytest
from flet_page import FletPage

from app.routes import ROUTES
from bench.at_once import TLS

pytestmark = pytest.mark.browser

QUICK_ACTIONS = {
    "nav-search": "screen-search",
    "nav-matching": "screen-matching",
    "nav-trip-new": "screen-trip-new",
    "nav-trips": "screen-trips",
    "nav-volunteer": "screen-volunteer",
    "nav-events": "screen-events",
    "nav-settings": "screen-settings",
    "nav-profile": "screen-profile",
    "nav-login": "screen-login",
    "inbox": "screen-inbox",
}


def open_home(browser, app) -> FletPage:
    page = FletPage(browser, app.url)
    page.open()
    page.wait_for("screen-home")
    page.wait_for("district-310101")  # the catalogue has reached the screen
    return page


def test_home_shows_the_catalogue_and_an_entry_to_every_screen(browser, app, seed, artifacts):
    page = open_home(browser, app)
    ids = set(page.identifiers())
    assert {f"district-{d['code']}" for d in seed["districts"]} <= ids
    assert len([i for i in ids if i.startswith("district-")]) == 16
    assert set(QUICK_ACTIONS) <= ids
    common = {f"service-{s['id']}" for s in seed["services"] if s.get("common")}
    assert common and common <= ids
    assert page.headings(1) == ["阳光申办"]
    assert "已联网" in page.wait_for_text("sync-status", "已联网")
    page.screenshot(artifacts / "home.png")


def test_search_is_reachable_from_home_and_back_again(browser, app, artifacts):
    page = open_home(browser, app)
    page.activate("nav-search")
    page.wait_for("screen-search")
    assert page.headings(1) == ["搜索服务"]
    page.screenshot(artifacts / "search.png")
    page.activate("nav-back")
    page.wait_for("screen-home")
    page.activate("nav-settings")
    page.wait_for("screen-settings")
    page.page.keyboard.press("Escape")
    page.wait_for("screen-home")
    assert page.node("screen-settings").count() == 0


@pytest.mark.parametrize("action, screen", sorted(QUICK_ACTIONS.items()))
def test_each_quick_action_opens_its_screen_with_one_heading(browser, app, action, screen):
    page = open_home(browser, app)
    page.activate(action)
    page.wait_for(screen)
    assert len(page.headings(1)) == 1
    page.page.close()


def concrete_path(pattern: str, seed) -> str:
    values = {"id": seed["services"][0]["id"], "code": seed["districts"][0]["code"]}
    return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], pattern)


def test_every_route_has_its_screen_hook_and_exactly_one_h1(browser, app, seed):
    """New routes are covered automatically: the list comes from app.routes."""
    page = FletPage(browser, app.url)
    for route in ROUTES:
        page.url = app.url.rstrip("/") + concrete_path(route.pattern, seed)
        page.open()
        page.wait_for(route.identifier)
        assert len(page.headings(1)) == 1, route.pattern
        assert "read-aloud" in page.identifiers(), route.pattern
    page.url = app.url.rstrip("/") + "/no/such/page"
    page.open()
    page.wait_for("screen-not-found")
    page.page.close()


def test_nothing_is_fetched_from_outside_and_no_font_fails(browser, app):
    page = open_home(browser, app)
    page.activate("nav-search")
    page.wait_for("screen-search")
    page.page.wait_for_timeout(1500)  # let late font and fallback requests happen, if any
    assert page.network.external_requests() == []
    assert page.network.failures == []
    assert [m for m in page.network.console if "font" in m.lower()] == []
    assert page.network.console == []
    assert any(url.endswith("/fonts/SunshineSansSC-Regular.otf") for url in page.network.requests)


def test_ctrl_c_stops_the_app_and_its_embedded_backend(launcher):
    app = launcher()
    backend_url = re.search(r"Sunshine backend: (\S+);", app.log()).group(1)
    assert httpx.get(backend_url + "/api/v1/health", verify=TLS).status_code == 200
    assert app.stop(timeout=30) == 0
    assert "Sunshine stopped." in app.log()
    with pytest.raises(httpx.TransportError):
        httpx.get(backend_url + "/api/v1/health", timeout=2, verify=TLS)
