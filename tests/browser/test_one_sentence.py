"""One action, one sentence (issue 16, item 5): what a screen reader hears, counted.

Every text that passes through an aria-live element is recorded (flet_page.RECORD_ANNOUNCEMENTS),
as a screen reader would have heard it. For sign-in, an answer to a pushed policy, a sign-up and
a trip request, made online, the outcome is announced once, nothing says it is waiting to be
sent, and once the server has it the screen's status says so instead of "not sent yet".
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import pytest
from a11y_audit import settle
from flet_page import ALL_SENT, FletPage
from test_event_signup_checkin import create_event, go_home_then
from test_sign_in_profile import DEV_CODE, FAST, server_get, sign_in, type_into

from backend.core.config import Settings as BackendSettings
from backend.demo_users import RESIDENT_PHONE
from backend.embedded import EmbeddedBackend, free_port

pytestmark = pytest.mark.browser

PLAYER = Path(__file__).with_name("recording_player.py")
WAITING = "等待发送"  # the waiting count's sentence: not said for an action sent at once


def heard_since(page: FletPage, start: int) -> list[str]:
    return page.announcements()[start:]


def once(heard: list[str], fragment: str) -> None:
    matching = [a for a in heard if fragment in a]
    assert len(matching) == 1, f"{fragment!r} heard {len(matching)} times in {heard!r}"


def queued_action_heard(page: FletPage, button: str, confirmation: str) -> list[str]:
    """Press ``button``, wait until the server has the action: what was heard meanwhile holds
    its ``confirmation`` once, and nothing about waiting or having been sent."""
    start = len(page.announcements())
    page.activate(button)
    # The status may say "all sent" a moment before the confirmation is announced on arrival
    # at the next screen: wait for both.
    page.wait_for_announcement(confirmation, since=start)
    page.wait_until_sent()
    heard = heard_since(page, start)
    once(heard, confirmation)
    assert not [a for a in heard if WAITING in a or ALL_SENT in a], heard
    return heard


def test_each_action_is_said_once(browser, launcher, tmp_path, artifacts):
    server = BackendSettings(data_dir=tmp_path / "server", dev_login_code=DEV_CODE)
    backend = EmbeddedBackend(server, port=free_port()).start()
    try:
        event_id = create_event(backend.url)
        # A device that can speak: the trip's confirmation is also said in the app's voice.
        spoken = tmp_path / "spoken"
        spoken.mkdir()
        player = shlex.join([sys.executable, str(PLAYER)]) + " {path}"
        speech = {"SUNSHINE_AUDIO_PLAYER": player, "RECORD_DIR": str(spoken)}
        app = launcher("--api-url", backend.url, env={**FAST, **speech})
        page = FletPage(browser, app.url.rstrip("/") + "/login", width=420, height=2400)
        page.open()
        page.wait_for("screen-login")
        settle(page)  # what is heard from here on is the actions' own
        counts: dict[str, list[str]] = {}

        # Sign in: the code is sent (said once), then welcome (said once).
        start = len(page.announcements())
        sign_in(page, RESIDENT_PHONE)
        counts["sign-in"] = heard = heard_since(page, start)
        once(heard, "验证码已发送到")
        once(heard, "已登录。欢迎您")

        # An answer to a pushed policy.
        go_home_then(page, "inbox", "screen-inbox")
        item = server_get(backend.url, "/me/inbox")["items"][0]
        page.wait_for(f"inbox-item-{item['id']}")
        counts["reply"] = queued_action_heard(
            page, f"inbox-reply-{item['id']}-interested", "“我感兴趣”"
        )
        assert "已保存在本机" not in page.text_of("inbox-status")  # it is on the server now

        # A sign-up: said once; the card then has her place and the new count.
        go_home_then(page, "nav-events", "screen-events")
        page.wait_for(f"signup-{event_id}", timeout_ms=60_000)
        assert "剩余 3 个名额" in page.text_of(f"event-{event_id}")
        counts["sign-up"] = queued_action_heard(page, f"signup-{event_id}", "报名已保存")
        card = page.wait_for_text(f"event-{event_id}", "剩余 2 个名额", timeout_s=30)
        assert "您有名额" in card
        status = page.page.locator("flt-semantics-host").inner_text()
        assert "我们会告诉您是否有名额" not in status  # the place is known now

        # A trip request.
        go_home_then(page, "nav-trip-new", "screen-trip-new")
        page.wait_for("trip-from-recent-0")
        page.activate("trip-from-recent-0")
        type_into(page, "trip-to", "瑞金医院门诊楼")
        counts["trip request"] = queued_action_heard(page, "trip-submit", "您的出行请求已保存")
        page.wait_for("screen-trips")  # the confirmation, now "all sent", is on my trips
        page.screenshot(artifacts / "one-sentence-trips.png")

        report = "\n".join(f"{action}: {len(said)} {said}" for action, said in counts.items())
        (artifacts / "announcements.txt").write_text(report + "\n", encoding="utf-8")
        print(report)
        assert [len(said) for said in counts.values()] == [2, 1, 1, 1], report
    finally:
        backend.stop()
