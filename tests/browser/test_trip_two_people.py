"""助盲出行 end to end in the web build: a resident asks, a volunteer claims, both see it through.

Two app processes (each with its own data dir) against one reference backend, driven from two
browser contexts through the semantics tree only, as a screen-reader or keyboard user would.
"""

from __future__ import annotations

import pytest
from a11y_audit import STANDARD, audit_route
from flet_page import FletPage
from test_sign_in_profile import DEV_CODE, FAST, server_get, sign_in, type_into

from backend.core.config import Settings as BackendSettings
from backend.demo_users import RESIDENT_PHONE, VOLUNTEER_PHONE
from backend.embedded import EmbeddedBackend, free_port

pytestmark = pytest.mark.browser

DESTINATION = "瑞金医院门诊楼"


def go_home_then(page: FletPage, identifier: str, screen: str) -> None:
    page.activate("nav-back")
    page.wait_for("screen-home")
    page.activate(identifier)
    page.wait_for(screen)


def test_request_claim_start_complete_and_rate(browser, launcher, tmp_path, artifacts):
    server = BackendSettings(data_dir=tmp_path / "server", dev_login_code=DEV_CODE)
    backend = EmbeddedBackend(server, port=free_port()).start()
    try:
        resident_app = launcher("--api-url", backend.url, data_dir=tmp_path / "resident", env=FAST)
        volunteer_app = launcher(
            "--api-url", backend.url, data_dir=tmp_path / "volunteer", env=FAST
        )
        resident = FletPage(
            browser, resident_app.url.rstrip("/") + "/login", width=420, height=2400
        )
        volunteer = FletPage(
            browser, volunteer_app.url.rstrip("/") + "/login", width=420, height=2400
        )
        resident.open()
        volunteer.open()
        sign_in(resident, RESIDENT_PHONE)
        sign_in(volunteer, VOLUNTEER_PHONE)

        # The resident asks, by keyboard: home address offered as the start, the time as set.
        go_home_then(resident, "nav-trip-new", "screen-trip-new")
        resident.wait_for("trip-from-recent-0")
        resident.activate("trip-from-recent-0")
        type_into(resident, "trip-to", DESTINATION)
        assert "出发时间：" in resident.text_of("trip-when")
        resident.screenshot(artifacts / "trip-new.png")
        resident.activate("trip-submit")
        resident.wait_for("screen-trips")
        resident.wait_for_announcement("您的出行请求已保存")
        resident.wait_until_sent()
        trip_id = server_get(backend.url, "/trips/mine")["items"][0]["id"]
        resident.wait_for_text(f"trip-{trip_id}", "等待志愿者接单")

        # The volunteer sees it among open trips and takes it.
        go_home_then(volunteer, "nav-volunteer", "screen-volunteer")
        volunteer.wait_for(f"claim-{trip_id}", timeout_ms=60_000)
        assert DESTINATION in volunteer.text_of(f"open-trip-{trip_id}")
        volunteer.activate(f"claim-{trip_id}")
        volunteer.wait_for_announcement("您已接下这次出行")
        card = volunteer.wait_for_text(f"trip-{trip_id}", "暗号：", timeout_s=60)
        volunteer.screenshot(artifacts / "trip-volunteer-claimed.png")
        word = server_get(backend.url, f"/trips/{trip_id}")["code_word"]
        assert word and word in card

        # The resident hears who is coming and sees the same code word.
        resident.wait_for_announcement("将为您引路", timeout_s=60)
        mine = resident.wait_for_text(f"trip-{trip_id}", word, timeout_s=60)
        assert "李志愿" in mine
        resident.screenshot(artifacts / "trip-resident-claimed.png")

        # Start, complete, rate: each step on the volunteer's phone, heard on the resident's.
        volunteer.activate(f"trip-start-{trip_id}")
        volunteer.wait_for(f"trip-complete-{trip_id}", timeout_ms=60_000)
        resident.wait_for_announcement("已开始您的出行", timeout_s=60)
        volunteer.activate(f"trip-complete-{trip_id}")
        volunteer.wait_for(f"trip-rate-{trip_id}-5", timeout_ms=60_000)
        volunteer.activate(f"trip-rate-{trip_id}-5")
        volunteer.wait_for_announcement("感谢您的评价")
        resident.wait_for(f"trip-rate-{trip_id}-4", timeout_ms=60_000)
        resident.activate(f"trip-rate-{trip_id}-4")
        resident.wait_for_announcement("感谢您的评价")
        resident.wait_until_sent()
        volunteer.wait_until_sent()
        resident.screenshot(artifacts / "trip-resident-rated.png")

        final = server_get(backend.url, f"/trips/{trip_id}")
        assert final["state"] == "completed"
        assert final["my_rating"] == {"stars": 4, "comment": None}
        assert final["rating_of_me"] == {"stars": 5, "comment": None}

        # Signed in, with real trips on them, the new screens meet DESIGN.md §5 too (the audit
        # of every route only sees them signed out). Her volunteer screen is the registration form.
        for page, app, path, identifier in (
            (resident, resident_app, "/trips/new", "screen-trip-new"),
            (resident, resident_app, "/trips", "screen-trips"),
            (resident, resident_app, "/volunteer", "screen-volunteer"),
            (resident, resident_app, "/notifications", "screen-notifications"),
            (volunteer, volunteer_app, "/volunteer", "screen-volunteer"),
        ):
            audit = audit_route(page, app.url, STANDARD, path, identifier, artifacts / "trips")
            assert audit.problems() == [], (path, audit.screenshot, audit.problems())
        resident.page.close()
        volunteer.page.close()
    finally:
        backend.stop()
