"""代办 end to end in the web build: a resident gives a clerk a one-time consent code, the clerk
redeems it and waits, the resident hears the request and confirms it on her own device, the
clerk then acts for her at once, she sees what was done, withdraws, and the clerk's next action
is refused.

Two app processes (each with its own data dir) against one reference backend, two browser
contexts, driven through the semantics tree only.
"""

from __future__ import annotations

import pytest
from a11y_audit import STANDARD, audit_route
from flet_page import FletPage
from test_event_signup_checkin import create_event
from test_sign_in_profile import DEV_CODE, FAST, server_get, sign_in, type_into

from backend.core.config import Settings as BackendSettings
from backend.demo_users import RESIDENT_PHONE, STAFF_PHONE
from backend.embedded import EmbeddedBackend, free_port

pytestmark = pytest.mark.browser


def open_from_profile(page: FletPage, identifier: str, screen: str) -> None:
    page.activate("nav-back")
    page.wait_for("screen-home")
    page.activate("nav-profile")
    page.wait_for("screen-profile")
    page.activate(identifier)
    page.wait_for(screen)


def test_consent_act_see_withdraw_refused(browser, launcher, tmp_path, artifacts):
    server = BackendSettings(data_dir=tmp_path / "server", dev_login_code=DEV_CODE)
    backend = EmbeddedBackend(server, port=free_port()).start()
    try:
        first_event, second_event = create_event(backend.url), create_event(backend.url)
        resident_app = launcher("--api-url", backend.url, data_dir=tmp_path / "resident", env=FAST)
        clerk_app = launcher("--api-url", backend.url, data_dir=tmp_path / "clerk", env=FAST)
        resident = FletPage(
            browser, resident_app.url.rstrip("/") + "/login", width=420, height=2400
        )
        clerk = FletPage(browser, clerk_app.url.rstrip("/") + "/login", width=420, height=2400)
        resident.open()
        clerk.open()
        sign_in(resident, RESIDENT_PHONE)
        sign_in(clerk, STAFF_PHONE)

        # The resident makes a one-time code; it is shown large and said.
        open_from_profile(resident, "nav-consent", "screen-consent")
        resident.activate("consent-code-day")
        resident.wait_for_announcement("同意码：")
        code = resident.text_of("consent-code").replace(" ", "")
        assert len(code) == 8 and code.isdigit()

        # The clerk types her phone number and the code, and is told to wait for her.
        open_from_profile(clerk, "nav-act-for", "screen-act-for")
        type_into(clerk, "act-for-phone", RESIDENT_PHONE)
        type_into(clerk, "act-for-code", code)
        clerk.activate("act-for-submit")
        clerk.wait_for_announcement("已请张阿姨在自己的手机上")
        (pending,) = server_get(backend.url, "/me/consents")["items"]
        assert pending["state"] == "pending"
        assert f"act-for-start-{pending['id']}" not in clerk.identifiers()

        # She hears who asks, without leaving the screen, and confirms on her own device.
        resident.wait_for_announcement("王社工请求代您办理", timeout_s=60)
        resident.wait_for(f"consent-confirm-{pending['id']}")
        resident.screenshot(artifacts / "consent-asked.png")
        for page, app, path, identifier in (
            (resident, resident_app, "/consent", "screen-consent"),
            (clerk, clerk_app, "/act-for", "screen-act-for"),
        ):  # both waiting: audited as they are now
            audit = audit_route(page, app.url, STANDARD, path, identifier, artifacts / "pending")
            assert audit.problems() == [], (path, audit.screenshot, audit.problems())
        resident.wait_for(f"consent-confirm-{pending['id']}")
        resident.activate(f"consent-confirm-{pending['id']}")
        resident.wait_for_announcement("已确认。王社工现在可以代您办理")

        # The clerk acts for her as soon as she confirmed: every screen says for whom.
        clerk.wait_for_announcement("您现在正在代张阿姨办理", timeout_s=60)
        clerk.wait_for("screen-home")
        assert "张阿姨" in clerk.text_of("acting-for")
        clerk.wait_for_text("home-profile", "张阿姨")
        clerk.screenshot(artifacts / "acting-for-home.png")

        # The clerk signs her up for an event; the server has it as hers, recorded as the clerk's.
        clerk.activate("nav-events")
        clerk.wait_for(f"signup-{first_event}", timeout_ms=60_000)
        clerk.activate(f"signup-{first_event}")
        clerk.wait_until_sent()
        signups = server_get(backend.url, "/me/signups")["items"]
        assert first_event in {s["event_id"] for s in signups}
        (consent,) = server_get(backend.url, "/me/consents")["items"]
        assert [a["kind"] for a in consent["actions"]] == ["event_signup"]
        assert consent["helper"]["name"] == "王社工"

        # She sees it in her records, then withdraws.
        card = resident.wait_for_text(f"consent-{consent['id']}", "为您报名了活动", timeout_s=60)
        assert "王社工" in card
        resident.screenshot(artifacts / "consent-records.png")
        resident.activate(f"consent-withdraw-{consent['id']}")
        resident.wait_for_announcement("已撤回同意，王社工不能再代您办理")
        resident.wait_until_sent()
        assert server_get(backend.url, "/me/consents")["items"][0]["state"] == "withdrawn"

        # The clerk's next action for her is refused and said; the sign-up never happens.
        clerk.wait_for(f"signup-{second_event}")
        clerk.activate(f"signup-{second_event}")
        clerk.wait_for_announcement("居民已撤回同意", timeout_s=60)
        signups = server_get(backend.url, "/me/signups")["items"]
        assert second_event not in {s["event_id"] for s in signups}

        # The clerk stops and is herself again.
        clerk.activate("act-for-stop")
        clerk.wait_for_announcement("您已恢复为本人身份")
        clerk.wait_for_text("home-profile", "王社工", timeout_s=60)
        assert "acting-for" not in clerk.identifiers()

        for page, app, path, identifier in (
            (resident, resident_app, "/consent", "screen-consent"),
            (clerk, clerk_app, "/act-for", "screen-act-for"),
        ):
            audit = audit_route(page, app.url, STANDARD, path, identifier, artifacts / "proxy")
            assert audit.problems() == [], (path, audit.screenshot, audit.problems())
        resident.page.close()
        clerk.page.close()
    finally:
        backend.stop()
