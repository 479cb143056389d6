"""The home that fits each person, in the web build: customise it with buttons only, pin a
service, see the services used most, open a district's flagship page; it is all still there
after a restart. Signed in, the profile card, records and visits are on the home.
"""

from __future__ import annotations

import pytest
from a11y_audit import STANDARD, audit_route
from flet_page import FletPage
from test_sign_in_profile import DEV_CODE, FAST, sign_in

from backend.core.config import Settings as BackendSettings
from backend.demo_users import RESIDENT_PHONE
from backend.embedded import EmbeddedBackend, free_port

pytestmark = pytest.mark.browser

HUANGPU = "310101"


def home_headings(page: FletPage) -> list[str]:
    return page.headings(level=2)


def test_customise_pin_and_frequent_survive_a_restart(browser, launcher, tmp_path, seed, artifacts):
    data = tmp_path / "data"
    app = launcher(data_dir=data)
    page = FletPage(browser, app.url, width=420, height=2400)
    page.open()
    page.wait_for("screen-home")
    service = seed["services"][0]
    page.wait_for(f"service-{service['id']}", timeout_ms=60_000)  # the catalogue has synced
    before = home_headings(page)
    assert before.index("常用服务") > before.index("我常用的服务")

    # Customise with buttons: move "common services" above "services I use often", hide visits.
    page.activate("home-customise")
    page.wait_for("screen-customise")
    page.activate("section-up-common")
    page.wait_for_announcement("已移动。常用服务：第 4 位，共 8 位。")
    page.activate("section-hide-visits")
    page.wait_for_announcement("已在首页隐藏“访客记录”")
    page.screenshot(artifacts / "home-customise.png")

    # Pin a service from its own screen; opening it also counts as using it.
    page.activate("nav-back")
    page.activate(f"service-{service['id']}")
    page.wait_for("screen-service")
    page.activate(f"pin-{service['id']}")
    page.wait_for_announcement(f"已将“{service['name']}”固定到首页")
    page.activate("nav-back")
    page.wait_for(f"pinned-{service['id']}")
    page.wait_for(f"frequent-{service['id']}")
    after = home_headings(page)
    assert after.index("常用服务") < after.index("我常用的服务")
    assert "访客记录" not in after and after[0] == "已固定的服务"
    page.screenshot(artifacts / "home-customised.png")

    # A district's flagship page: its institutions, services and events.
    page.activate(f"district-{HUANGPU}")
    page.wait_for("screen-district")
    found = page.identifiers()
    assert any(i.startswith("institution-") for i in found)
    assert any(i.startswith("service-") for i in found)
    assert {"助残机构", "这里可以办理的服务", "近期活动"} <= set(page.headings(level=2))
    page.page.close()
    assert app.stop() == 0

    # Restarted on the same data: the same home.
    again = FletPage(browser, launcher(data_dir=data).url, width=420, height=2400)
    again.open()
    again.wait_for(f"pinned-{service['id']}")
    again.wait_for(f"frequent-{service['id']}")
    assert home_headings(again) == after
    again.page.close()


def test_signed_in_home_shows_the_card_records_and_visits(browser, launcher, tmp_path, artifacts):
    server = BackendSettings(data_dir=tmp_path / "server", dev_login_code=DEV_CODE)
    backend = EmbeddedBackend(server, port=free_port()).start()
    try:
        app = launcher("--api-url", backend.url, data_dir=tmp_path / "client", env=FAST)
        page = FletPage(browser, app.url.rstrip("/") + "/login", width=420, height=2400)
        page.open()
        sign_in(page, RESIDENT_PHONE)
        page.activate("nav-back")
        page.wait_for("screen-home")
        card = page.wait_for_text("home-profile", "张阿姨")
        assert "138****0001" in card and "13800000001" not in card
        shown = page.text_of("screen-home")
        assert "残疾人证换领：已办结" in shown  # a service record
        assert "由王社工上门走访" in shown  # a visit
        page.activate("home-my-district")
        page.wait_for("screen-district")
        assert page.headings()[0] == "黄浦区"
        page.screenshot(artifacts / "home-district.png")
        audit = audit_route(page, app.url, STANDARD, "/", "screen-home", artifacts / "home")
        assert audit.problems() == [], (audit.screenshot, audit.problems())
        page.page.close()
    finally:
        backend.stop()
