"""Search in the web build: typed as a person types, results announced, each a way in."""

from __future__ import annotations

import pytest
from flet_page import FletPage

pytestmark = pytest.mark.browser


def retype(page: FletPage, text: str, *, at_once: bool = False) -> None:
    """Replace the query: typed key by key, or ``at_once`` as an input method commits it."""
    page.node("search-input").first.click()
    page.page.wait_for_timeout(300)  # Flutter puts its <input> in place after the tap
    page.page.keyboard.press("Control+A")
    if at_once:
        page.page.keyboard.insert_text(text)
    else:
        page.page.keyboard.type(text, delay=40)


def results(page: FletPage) -> list[str]:
    return [
        i.removeprefix("search-result-")
        for i in page.identifiers()
        if i.startswith("search-result-")
    ]


def search_for(page: FletPage, query: str, timeout_s: float = 20) -> list[str]:
    """Put ``query`` in the field in one go (as an input method commits it), wait for the
    count to be announced, return the hits in order. Typed key by key, a busy machine could
    announce the count for a prefix ("lun") first, and the hits read would be its hits."""
    heard = len(page.announcements())
    retype(page, query, at_once=True)
    waited = 0.0
    while waited < timeout_s:
        new = page.announcements()[heard:]
        if any("找到" in said and "没有" not in said for said in new):
            return results(page)
        page.page.wait_for_timeout(250)
        waited += 0.25
    raise AssertionError(f"no count announced for {query!r}; heard {page.announcements()[heard:]}")


def test_initials_find_the_card_first_and_the_count_is_announced(browser, launcher, artifacts):
    app = launcher()
    page = FletPage(browser, app.url.rstrip("/") + "/search", width=400, height=1600)
    page.open()
    page.wait_for("screen-search")

    assert search_for(page, "cjrz")[0] == "svc-disability-card-apply"  # the count announced
    # Read once the row shows its own item: a busy browser can show a row's new identifier a
    # frame before its new text.
    reason = page.wait_for_text("search-result-svc-disability-card-apply", "残疾人证申领")
    assert "拼音" in reason  # says which part matched, and how

    retype(page, "qqqzzzxx")
    page.wait_for_text("search-count", "没有找到")
    assert results(page) == []
    assert any(i.startswith("service-") for i in page.identifiers())  # suggestions instead
    page.screenshot(artifacts / "search-nothing-found.png")

    # traditional characters, as a Hong Kong or Taiwan keyboard types them
    assert "svc-disability-card-apply" in search_for(page, "殘疾人證")[:3]

    first = search_for(page, "lunyi")[0]
    assert first == "svc-assistive-device-fitting"  # 轮椅 is one of its keywords
    page.activate(f"search-result-{first}")
    page.wait_for("screen-service")
