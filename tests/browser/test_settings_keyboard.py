"""Settings apply at once, persist, are announced, and the whole screen works by keyboard."""

from __future__ import annotations

import json

import pytest
from flet_page import FletPage, focused

pytestmark = pytest.mark.browser

# Tab goes on from the screen's name (its h1 holds the keyboard focus when it opens), through
# the screen in visual order, then round to 返回 and 朗读 above the name.
SETTINGS_TAB_ORDER = [
    "large-text",
    "high-contrast",
    "text-scale-down",
    "text-scale-up",
    "tts-toggle",
    "speech-rate-down",
    "speech-rate-up",
    "tts-try",
    "language-zh_CN",
    "language-en",
    "nav-back",
    "read-aloud",
]


def open_settings(browser, app) -> FletPage:
    page = FletPage(browser, app.url.rstrip("/") + "/settings", width=400, height=1600)
    page.open()
    page.wait_for("screen-settings")
    return page


def height_of(page: FletPage, identifier: str) -> float:
    return page.node(identifier).first.bounding_box()["height"]


def test_large_text_applies_live_persists_and_is_announced(browser, launcher, tmp_path):
    data = tmp_path / "data"
    app = launcher(data_dir=data)
    page = open_settings(browser, app)
    assert height_of(page, "nav-back") >= 48
    page.activate("large-text")
    page.wait_for_announcement("已开启大字版")
    page.page.wait_for_timeout(500)
    assert height_of(page, "nav-back") >= 60
    assert json.loads((data / "preferences.json").read_text())["large_text"] is True
    page.page.close()
    assert app.stop() == 0

    again = open_settings(browser, launcher(data_dir=data))
    assert height_of(again, "nav-back") >= 60
    switch = again.node("large-text").locator("[role=switch]").first
    assert switch.get_attribute("aria-checked") == "true"
    again.page.close()


def test_language_changes_every_screen_at_once(browser, app):
    page = open_settings(browser, app)
    page.activate("language-en")
    page.wait_for_announcement("Language: English.")
    assert page.headings(1) == ["Settings"]
    page.activate("nav-back")
    page.wait_for("screen-home")
    assert page.headings(1) == ["Sunshine"]
    page.activate("nav-settings")
    page.wait_for("screen-settings")
    page.activate("language-zh_CN")
    page.wait_for_announcement("语言：简体中文。")
    assert page.headings(1) == ["设置"]
    page.page.close()


def test_tab_reaches_every_control_in_visual_order_and_keys_activate(browser, app):
    page = open_settings(browser, app)
    order = []
    for _ in range(len(SETTINGS_TAB_ORDER)):
        page.page.keyboard.press("Tab")
        page.page.wait_for_timeout(100)
        node = focused(page)
        order.append(node and node["identifier"])
    assert order == SETTINGS_TAB_ORDER
    page.page.keyboard.press("Shift+Tab")
    page.page.wait_for_timeout(100)
    assert focused(page)["identifier"] == SETTINGS_TAB_ORDER[-2]

    # Enter activates a button, Space toggles a switch, Escape goes back.
    while (focused(page) or {}).get("identifier") != "text-scale-up":
        page.page.keyboard.press("Shift+Tab")
    page.page.keyboard.press("Enter")
    page.wait_for_announcement("文字大小：125%。")
    while (focused(page) or {}).get("identifier") != "tts-toggle":
        page.page.keyboard.press("Tab")
    page.page.keyboard.press("Space")
    page.wait_for_announcement("已关闭朗读功能。")
    page.page.keyboard.press("Escape")
    page.wait_for("screen-home")
    page.activate("read-aloud")  # read-aloud is off now: the app says so instead of silence
    page.wait_for_announcement("朗读功能已关闭")
    page.page.close()
