"""Kiosk mode in the web build: nothing personal on disk, an idle countdown, a wipe that forgets.

The app runs with ``--kiosk`` against a reference backend in this process, with the test-only
memory probe (app/memory_probe.py): it searches every Python object the app process can reach,
and every row of its local store, for the strings the test names.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from flet_page import FletPage
from test_event_signup_checkin import create_event, go_home_then
from test_sign_in_profile import DEV_CODE, FAST, server_get, sign_in

from backend.core.config import Settings as BackendSettings
from backend.demo_users import RESIDENT_PHONE
from backend.embedded import EmbeddedBackend, free_port

pytestmark = pytest.mark.browser

SERVICE = "svc-disability-card-renew"  # a common service on the home


def ask_probe(folder: Path, needles: list[str], *, capture_tokens: bool = False) -> dict:
    report = folder / "report.json"
    report.unlink(missing_ok=True)
    request = folder / "request.json.tmp"
    request.write_text(
        json.dumps({"needles": needles, "capture_tokens": capture_tokens}), encoding="utf-8"
    )
    request.replace(folder / "request.json")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if report.exists():
            return json.loads(report.read_text(encoding="utf-8"))
        time.sleep(0.2)
    raise TimeoutError("the memory probe did not answer")


def files_holding(folder: Path, needles: list[str]) -> dict[str, list[str]]:
    """Which files under ``folder`` contain which needle (UTF-8), read byte for byte."""
    found: dict[str, list[str]] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        for needle in needles:
            if needle.encode() in data:
                found.setdefault(needle, []).append(path.name)
    return found


def personal_needles(url: str) -> list[str]:
    """What the server holds about the resident that the kiosk showed: phone, name, address."""
    me = server_get(url, "/me")
    return [RESIDENT_PHONE, me["name"], me["address"]]


def kiosk_env(probe: Path, warn_after: float, reset_after: float) -> dict[str, str]:
    return {
        **FAST,
        "SUNSHINE_MEMORY_PROBE_DIR": str(probe),
        "SUNSHINE_KIOSK_WARN_AFTER": str(warn_after),
        "SUNSHINE_KIOSK_RESET_AFTER": str(reset_after),
    }


def test_finish_leaves_nothing_on_disk_or_in_the_process(browser, launcher, tmp_path, artifacts):
    server = BackendSettings(data_dir=tmp_path / "server", dev_login_code=DEV_CODE)
    backend = EmbeddedBackend(server, port=free_port()).start()
    try:
        event_id = create_event(backend.url)
        data, probe = tmp_path / "kiosk", tmp_path / "probe"
        app = launcher(
            "--api-url", backend.url, "--kiosk", data_dir=data, env=kiosk_env(probe, 600, 900)
        )
        page = FletPage(browser, app.url.rstrip("/") + "/settings", width=420, height=2400)
        page.open()
        page.wait_for("screen-settings")
        # 长辈版 and read-aloud are on for whoever walks up.
        for switch in ("large-text", "tts-toggle"):
            node = page.node(switch).locator("[role=switch]").first
            assert node.get_attribute("aria-checked") == "true", switch
        assert "kiosk-finish" in page.identifiers()

        page.activate("nav-back")
        page.activate("nav-login")
        sign_in(page, RESIDENT_PHONE)
        needles = personal_needles(backend.url)
        assert needles[1] in page.text_of("screen-profile")

        # She opens a service (it becomes one of hers, "frequent" on the home)...
        go_home_then(page, f"service-{SERVICE}", "screen-service")
        go_home_then(page, f"frequent-{SERVICE}", "screen-service")

        # ...and signs up for an event; it reaches the server.
        go_home_then(page, "nav-events", "screen-events")
        page.wait_for(f"signup-{event_id}", timeout_ms=60_000)
        page.activate(f"signup-{event_id}")
        page.wait_until_sent()
        signups = server_get(backend.url, "/me/signups")["items"]
        assert event_id in {s["event_id"] for s in signups}

        # While she is signed in, the process holds her (so the probe can find things) but
        # nothing of her is on disk: not in the store's files, not in any other file.
        during = ask_probe(probe, needles, capture_tokens=True)
        assert during["captured_tokens"] == 2
        assert {"0", "1", "access_token", "refresh_token"} <= set(during["objects"])
        assert files_holding(data, needles) == {}
        page.screenshot(artifacts / "kiosk-signed-in.png")

        page.activate("kiosk-finish")
        page.wait_for_announcement("在这台自助机上输入的所有信息都已清除", timeout_s=60)
        page.wait_for("screen-home")
        assert "nav-login" in page.identifiers()

        after = ask_probe(probe, needles)
        assert after["objects"] == {}, after
        assert after["store"] == {}, after
        assert files_holding(data, needles) == {}
        page.screenshot(artifacts / "kiosk-after-finish.png")

        # The browser's Back cannot reopen her screens, and nothing she opened is counted.
        assert f"frequent-{SERVICE}" not in page.identifiers()
        for _ in range(3):
            page.page.go_back()
            # The kiosk sends the browser home again (without the guard it stays on her page).
            page.page.wait_for_function("location.pathname === '/'", timeout=15_000)
            page.wait_for("screen-home")
        assert "screen-event" not in page.identifiers()
        assert "screen-service" not in page.identifiers()
        assert f"frequent-{SERVICE}" not in page.identifiers()
        page.page.close()
    finally:
        backend.stop()
    # The kiosk's console log (not the data dir) never had her phone or name either.
    log = app.log_path.read_bytes()
    assert [n for n in needles[:2] if n.encode() in log] == []


def test_idle_countdown_can_be_continued_then_wipes(browser, launcher, tmp_path, artifacts):
    server = BackendSettings(data_dir=tmp_path / "server", dev_login_code=DEV_CODE)
    backend = EmbeddedBackend(server, port=free_port()).start()
    try:
        probe = tmp_path / "probe"
        app = launcher(
            "--api-url",
            backend.url,
            "--kiosk",
            data_dir=tmp_path / "kiosk",
            env=kiosk_env(probe, 8, 16),
        )
        page = FletPage(browser, app.url.rstrip("/") + "/login", width=420, height=2400)
        page.open()
        sign_in(page, RESIDENT_PHONE)

        # Left alone, the kiosk warns in words and on screen, and counts down.
        page.wait_for_announcement("您还在吗", timeout_s=30)
        first = page.wait_for_text("kiosk-countdown", "秒")
        page.screenshot(artifacts / "kiosk-idle-warning.png")
        page.activate("kiosk-continue")
        page.wait_for_announcement("继续使用")
        deadline = time.monotonic() + 10
        while "kiosk-countdown" in page.identifiers() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert "kiosk-countdown" not in page.identifiers(), first
        assert "screen-profile" in page.identifiers()  # continuing kept her session

        # Left alone again, it ends the session at 16 s and goes home.
        page.wait_for_announcement("由于一段时间没有操作", timeout_s=60)
        page.wait_for("screen-home")
        assert "nav-login" in page.identifiers()
        after = ask_probe(probe, [RESIDENT_PHONE, "张阿姨"])
        assert after["objects"] == {} and after["store"] == {}, after

        # Nobody is there now: the clock stays still (no warning at an empty kiosk).
        time.sleep(12)  # past the 8 s warning
        assert "kiosk-countdown" not in page.identifiers()
        page.page.close()
    finally:
        backend.stop()
