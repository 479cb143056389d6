"""Sign-in, the profile and the outbox in the web build, by keyboard and screen reader."""

from __future__ import annotations

import httpx
import pytest
from flet_page import FletPage

from backend.core.config import Settings as BackendSettings
from backend.demo_users import RESIDENT_PHONE
from backend.embedded import EmbeddedBackend, free_port
from bench.at_once import TLS

pytestmark = pytest.mark.browser

DEV_CODE = "246810"
FAST = {"SUNSHINE_SYNC_INTERVAL": "2", "SUNSHINE_DEV_LOGIN_CODE": DEV_CODE}


def type_into(page: FletPage, identifier: str, text: str) -> None:
    page.node(identifier).first.click()
    page.page.wait_for_timeout(300)  # Flutter puts its <input> in place after the tap
    page.page.keyboard.press("Control+A")
    page.page.keyboard.type(text)


def sign_in(page: FletPage, phone: str = RESIDENT_PHONE) -> None:
    page.wait_for("screen-login")
    type_into(page, "login-phone", phone)
    page.activate("login-send-code")
    page.wait_for_text("login-status", "验证码已发送到 138****")
    type_into(page, "login-code", DEV_CODE)
    page.activate("login-submit")
    page.wait_for("screen-profile")
    page.wait_for_announcement("已登录。欢迎您")


def server_get(url: str, path: str, phone: str = RESIDENT_PHONE) -> dict:
    """What the server itself holds for a demo person at ``path`` (e.g. "/me")."""
    return httpx.get(f"{url}/api/v1{path}", headers=server_auth(url, phone), verify=TLS).json()


def server_auth(url: str, phone: str) -> dict[str, str]:
    token = httpx.post(
        f"{url}/api/v1/auth/token", json={"phone": phone, "code": DEV_CODE}, verify=TLS
    ).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


def server_me(url: str) -> dict:
    return server_get(url, "/me")


def test_bad_phone_and_wrong_code_are_explained_in_words(browser, launcher):
    app = launcher(env=FAST)
    page = FletPage(browser, app.url.rstrip("/") + "/login", width=400, height=1400)
    page.open()
    page.wait_for("screen-login")

    type_into(page, "login-phone", "1380000")
    page.activate("login-send-code")
    assert "您输入了 7 位" in page.wait_for_text("login-status", "手机号应为 11 位数字")
    page.wait_for_announcement("您输入了 7 位")

    type_into(page, "login-phone", RESIDENT_PHONE)
    type_into(page, "login-code", "000000")
    page.activate("login-submit")
    page.wait_for_text("login-status", "验证码错误或已过期")
    page.wait_for_announcement("验证码错误或已过期")
    assert "screen-profile" not in page.identifiers()
    page.page.close()


def test_sign_in_edit_offline_send_later_and_sign_out(browser, launcher, tmp_path, artifacts):
    port = free_port()
    server = BackendSettings(data_dir=tmp_path / "server", dev_login_code=DEV_CODE)
    client_data = tmp_path / "client"
    backend = EmbeddedBackend(server, port=port).start()
    app = launcher("--api-url", backend.url, data_dir=client_data, env=FAST)
    page = FletPage(browser, app.url.rstrip("/") + "/login", width=400, height=1600)
    page.open()
    sign_in(page)

    # The profile: the ID number masked (first 3, last 4), records and visits listed.
    page.wait_for("profile-edit")
    text = page.node("screen-profile").first.text_content() or ""
    assert "310***********0028" in text and "310101195503120028" not in text
    assert "访客记录" in text and "我的办事记录" in text
    page.screenshot(artifacts / "profile.png")

    # Offline: the change shows at once, and "1 action waiting" is shown and said.
    backend.stop()
    page.activate("profile-edit")
    page.wait_for("profile-address")
    type_into(page, "profile-address", "上海市黄浦区离线路 8 号")
    page.activate("profile-save")
    page.wait_for_announcement("已保存在本机")
    assert "1 项操作等待发送" in page.wait_for_text("outbox-waiting", "1 项操作等待发送")
    page.wait_for_text("screen-profile", "离线路 8 号")
    page.screenshot(artifacts / "profile-waiting.png")

    # Back online: sent by itself, announced, and on the server exactly once.
    backend = EmbeddedBackend(server, port=port).start()
    try:
        page.wait_until_sent()
        me = server_me(backend.url)
        assert me["address"] == "上海市黄浦区离线路 8 号"
        assert me["version"] == 2, "applied once"

        # Sign out: nothing personal is left on the device.
        page.activate("sign-out")
        page.wait_for("screen-home")
        page.wait_for_announcement("个人资料已从本机清除")
        page.page.close()
        assert app.stop() == 0
    finally:
        backend.stop()
    for path in client_data.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for secret in (RESIDENT_PHONE, "张阿姨", "离线路"):
                assert secret.encode() not in data, (path.name, secret)
