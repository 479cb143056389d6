"""Matching in the web build: a signed-in resident sees what they can get, answers what is
missing, and the list re-matches at once while the answer travels through the outbox."""

from __future__ import annotations

import pytest
from flet_page import FletPage
from test_sign_in_profile import DEV_CODE, FAST, server_me, sign_in

from backend.core.config import Settings as BackendSettings
from backend.embedded import EmbeddedBackend, free_port

pytestmark = pytest.mark.browser


def match_order(page: FletPage) -> list[str]:
    return [i.removeprefix("match-") for i in page.identifiers() if i.startswith("match-")]


def test_answering_a_missing_fact_rematches_at_once_and_reaches_the_server(
    browser, launcher, tmp_path, artifacts
):
    server = BackendSettings(data_dir=tmp_path / "server", dev_login_code=DEV_CODE)
    backend = EmbeddedBackend(server, port=free_port()).start()
    try:
        app = launcher("--api-url", backend.url, env=FAST)
        page = FletPage(browser, app.url.rstrip("/") + "/login", width=400, height=2400)
        page.open()
        sign_in(page)
        page.url = app.url.rstrip("/") + "/matching"
        page.open()
        page.wait_for("screen-matching")
        page.wait_for("match-svc-severe-care-subsidy")

        before = match_order(page)
        # 张阿姨: level 2 physical, Shanghai hukou → the care subsidy; her income is not known,
        # so the living subsidy is only "maybe" and comes after every service she can apply for.
        assert before.index("svc-severe-care-subsidy") < before.index("svc-home-care")
        assert before.index("svc-home-care") < before.index("svc-hardship-living-subsidy")
        # Her care subsidy is in review (her records say so): shown as applied, first.
        assert "您已申请 (2)" in page.headings(2)  # and her card renewal, completed
        assert "已申请，审核中" in page.page.locator("body").inner_text()
        summary = page.text_of("matching-summary")
        page.screenshot(artifacts / "matching-before.png")

        page.activate("fact-low_income-dibao")
        page.wait_for_announcement("重新匹配")
        after = match_order(page)
        assert after.index("svc-hardship-living-subsidy") < after.index("svc-home-care")
        assert page.text_of("matching-summary") != summary
        page.screenshot(artifacts / "matching-after.png")

        facts = {}
        for _ in range(60):  # the outbox sends it within a couple of seconds
            facts = server_me(backend.url)["facts"]
            if facts.get("low_income") == "dibao":
                break
            page.page.wait_for_timeout(500)
        assert facts.get("low_income") == "dibao"
    finally:
        backend.stop()
