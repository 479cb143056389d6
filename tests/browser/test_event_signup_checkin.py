"""阳光201 end to end in the web build: a resident signs up, staff check her in at the door.

Two app processes (each with its own data dir) against one reference backend, driven from two
browser contexts through the semantics tree only. The event is created by staff over HTTP to
start soon, so the check-in window is open.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from a11y_audit import STANDARD, audit_route
from flet_page import FletPage, focused, tab_to, wait_for_focus
from test_sign_in_profile import DEV_CODE, FAST, server_auth, server_get, sign_in, type_into

from backend.core.config import Settings as BackendSettings
from backend.demo_users import RESIDENT_PHONE, STAFF_PHONE
from backend.embedded import EmbeddedBackend, free_port
from bench.at_once import TLS

pytestmark = pytest.mark.browser

TITLE = "视障朋友读书会"


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def create_event(url: str) -> str:
    """An event starting in 30 minutes (check-in opens an hour before), 3 places."""
    now = datetime.now(UTC)
    start = now + timedelta(minutes=30)
    body = {
        "title": TITLE,
        "summary": "一起听书、聊书。",
        "institution_id": "inst-shanghai-dpf",
        "room": "二楼活动室",
        "start_at": iso(start),
        "end_at": iso(start + timedelta(hours=2)),
        "capacity": 3,
        "signup_deadline": iso(start),
        "cancel_deadline": iso(now + timedelta(minutes=10)),
        "provides": ["现场手语翻译"],
    }
    headers = {**server_auth(url, STAFF_PHONE), "Idempotency-Key": str(uuid.uuid4())}
    answer = httpx.post(f"{url}/api/v1/events", json=body, headers=headers, verify=TLS)
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


def go_home_then(page: FletPage, identifier: str, screen: str) -> None:
    page.activate("nav-back")
    page.wait_for("screen-home")
    page.activate(identifier)
    page.wait_for(screen)


def test_sign_up_then_checked_in_at_the_door(browser, launcher, tmp_path, artifacts):
    server = BackendSettings(data_dir=tmp_path / "server", dev_login_code=DEV_CODE)
    backend = EmbeddedBackend(server, port=free_port()).start()
    try:
        event_id = create_event(backend.url)
        resident_app = launcher("--api-url", backend.url, data_dir=tmp_path / "resident", env=FAST)
        staff_app = launcher("--api-url", backend.url, data_dir=tmp_path / "staff", env=FAST)
        resident = FletPage(
            browser, resident_app.url.rstrip("/") + "/login", width=420, height=2400
        )
        staff = FletPage(browser, staff_app.url.rstrip("/") + "/login", width=420, height=2400)
        resident.open()
        staff.open()
        sign_in(resident, RESIDENT_PHONE)
        sign_in(staff, STAFF_PHONE)

        # The resident finds the event (from the synced catalogue) and signs up by keyboard.
        go_home_then(resident, "nav-events", "screen-events")
        card = resident.wait_for_text(f"event-{event_id}", TITLE, timeout_s=60)
        assert "剩余 3 个名额" in card
        tab_to(resident, f"signup-{event_id}")
        resident.page.keyboard.press("Enter")
        resident.wait_for_announcement("报名已保存")
        # The button is gone (she holds a place now): the focus moves to what happened,
        # not out of the app, so a screen reader says it and Tab goes on from there.
        wait_for_focus(resident, "events-status")
        resident.wait_until_sent()
        resident.wait_for_text(f"event-{event_id}", "您有名额", timeout_s=60)
        assert focused(resident)["identifier"] == "events-status"  # kept through "all sent"
        tab_to(resident, f"my-signup-{event_id}", limit=1)  # the next thing below it
        (signup,) = server_get(backend.url, "/me/signups")["items"]
        assert signup["state"] == "confirmed"
        code = signup["personal_code"]

        # Her code, large and as a QR code, on the event's screen.
        resident.activate(f"event-open-{event_id}")
        resident.wait_for("screen-event")
        shown = resident.wait_for_text("screen-event", f"{code[:3]} {code[3:]}")
        assert "无障碍" in shown  # the place's accessibility facts
        resident.wait_for(f"event-qr-{event_id}")
        resident.screenshot(artifacts / "event-signed-up.png")

        # Staff at the door type her code; the count goes up.
        go_home_then(staff, "nav-events", "screen-events")
        staff.activate("nav-door")
        staff.wait_for("screen-door")
        staff.wait_for("door-count", timeout_ms=60_000)
        if f"door-event-{event_id}" in staff.identifiers():  # the demo event may be today too
            staff.activate(f"door-event-{event_id}")
            staff.wait_for_text("door-count", "共 1 人有名额")
        staff.wait_for_text("door-count", "已签到 0 人", timeout_s=60)
        # A barcode scanner types her QR code's payload and Enter, as a keyboard does.
        type_into(staff, "door-code", f"sunshine-checkin:{event_id}:{code}")
        staff.page.keyboard.press("Enter")
        staff.wait_for_announcement("张阿姨 已签到")
        staff.wait_for_text("door-count", "已签到 1 人")
        staff.wait_until_sent()
        staff.screenshot(artifacts / "event-door.png")
        today = server_get(backend.url, "/door/today", STAFF_PHONE)["items"]
        (door,) = [entry for entry in today if entry["event"]["id"] == event_id]
        assert door["counts"]["checked_in"] == 1

        # The resident's screen follows.
        resident.wait_for_text("screen-event", "已签到", timeout_s=60)

        for page, app, path, identifier in (
            (resident, resident_app, "/events", "screen-events"),
            (resident, resident_app, f"/event/{event_id}", "screen-event"),
            (resident, resident_app, "/events/record", "screen-attendance"),
            (staff, staff_app, "/door", "screen-door"),
        ):
            audit = audit_route(page, app.url, STANDARD, path, identifier, artifacts / "events")
            assert audit.problems() == [], (path, audit.screenshot, audit.problems())
        resident.page.close()
        staff.page.close()
    finally:
        backend.stop()
