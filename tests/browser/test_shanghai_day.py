"""明天 books Shanghai's tomorrow on a device in another zone (issue 16, item 1).

The app process and the browser run in Honolulu (UTC-10), the server in the machine's zone, and
both clocks start at 07:55 on 2 December in Shanghai, when it is still 1 December on the device.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flet_page import FletPage
from test_sign_in_profile import DEV_CODE, FAST, server_get, sign_in, type_into

from backend.core.config import Settings as BackendSettings
from backend.demo_users import RESIDENT_PHONE
from backend.embedded import EmbeddedBackend, free_port

pytestmark = pytest.mark.browser

EARLY = datetime(2026, 12, 1, 23, 55, tzinfo=UTC)  # 07:55 in Shanghai on Wednesday 2 December
FAR_ZONE = "Pacific/Honolulu"


def test_tomorrow_is_shanghai_tomorrow_on_a_device_in_another_zone(
    browser, launcher, tmp_path, artifacts
):
    server = BackendSettings(data_dir=tmp_path / "server", dev_login_code=DEV_CODE, test_now=EARLY)
    backend = EmbeddedBackend(server, port=free_port()).start()
    try:
        app = launcher(
            "--api-url",
            backend.url,
            data_dir=tmp_path / "resident",
            env={**FAST, "TZ": FAR_ZONE, "SUNSHINE_TEST_NOW": EARLY.isoformat()},
        )
        page = FletPage(
            browser, app.url.rstrip("/") + "/login", width=420, height=2400, timezone_id=FAR_ZONE
        )
        page.open()
        assert page.page.evaluate("new Date().getTimezoneOffset()") == 600  # UTC-10
        sign_in(page, RESIDENT_PHONE)
        page.activate("nav-back")
        page.activate("nav-trip-new")
        page.wait_for("screen-trip-new")
        assert page.text_of("trip-day-0") == "今天（12月2日周三），已选"  # the default
        assert page.text_of("trip-day-1") == "明天（12月3日周四）"
        assert "今天（12月2日周三）上午9:00" in page.text_of("trip-when")

        page.activate("trip-day-1")
        page.wait_for_text("trip-when", "明天（12月3日周四）上午9:00")
        page.activate("trip-from-recent-0")
        type_into(page, "trip-to", "瑞金医院门诊楼")
        # A long note wraps in its field, and the room left is said near the limit (item 8).
        type_into(page, "trip-notes", "我拄盲杖，请在医院北门等我。" * 13)  # 182 characters
        page.wait_for_announcement("“给志愿者的备注”还能输入")
        assert not [a for a in page.announcements() if "remaining" in a]  # not every keystroke
        page.screenshot(artifacts / "trip-new-far-zone.png")
        page.activate("trip-submit")
        page.wait_for("screen-trips")
        page.wait_until_sent()

        trips = server_get(backend.url, "/trips/mine")["items"]
        assert [t["start_at"] for t in trips] == ["2026-12-03T01:00:00Z"]  # 09:00 in Shanghai
    finally:
        backend.stop()
