"""Home from the local store when the backend is down, said aloud, and catching up after."""

from __future__ import annotations

import pytest
from flet_page import FletPage

from backend.core.config import Settings as BackendSettings
from backend.embedded import EmbeddedBackend, free_port

pytestmark = pytest.mark.browser

FAST_SYNC = {"SUNSHINE_SYNC_INTERVAL": "2"}


def test_home_works_offline_announces_it_and_catches_up(browser, launcher, tmp_path, artifacts):
    backend_settings = BackendSettings(data_dir=tmp_path / "server")
    port = free_port()
    client_data = tmp_path / "client"

    # 1. Online once: the catalogue lands in the local store.
    with EmbeddedBackend(backend_settings, port=port) as backend:
        app = launcher("--api-url", backend.url, data_dir=client_data, env=FAST_SYNC)
        page = FletPage(browser, app.url)
        page.open()
        page.wait_for("district-310101")
        page.wait_for_text("sync-status", "已联网")
        page.page.close()
        assert app.stop() == 0

    # 2. Backend down: a new start still shows home from the store, and says it is offline.
    app = launcher("--api-url", f"http://127.0.0.1:{port}", data_dir=client_data, env=FAST_SYNC)
    page = FletPage(browser, app.url)
    page.open()
    page.wait_for("screen-home")
    page.wait_for("district-310151")
    page.wait_for("service-svc-disability-card-apply")
    status = page.wait_for_text("sync-status", "离线")
    assert "本机保存" in status
    assert "本机保存" in page.wait_for_announcement("离线")
    page.screenshot(artifacts / "home-offline.png")

    # 3. Backend back: the open app notices by itself and announces it.
    with EmbeddedBackend(backend_settings, port=port):
        page.wait_for_text("sync-status", "已联网", timeout_s=30)
        page.wait_for_announcement("已恢复联网")
    page.page.close()
