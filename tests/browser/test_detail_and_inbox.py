"""Service, policy and institution detail screens, then the 政策找人 inbox, in the web build.

One app against its own backend: browse service → policy → service → institution, read the
institution aloud, sign in as the demo resident, answer a pushed policy and see the server get
it and the unread count drop. UI sentences are not asserted (they may not be translated yet);
identifiers and catalogue data are.
"""

from __future__ import annotations

import re
import shlex
import sys
import time
from pathlib import Path

import pytest
from flet_page import FletPage
from test_sign_in_profile import DEV_CODE, server_get, sign_in

from backend.core.config import Settings as BackendSettings
from backend.embedded import EmbeddedBackend, free_port
from tests.seed_catalogue import seed_file

pytestmark = pytest.mark.browser

CARD = "svc-disability-card-apply"
PLAYER = Path(__file__).with_name("recording_player.py")


def in_screen(page: FletPage, screen: str, identifier: str):
    """A node inside one screen (home, underneath, has service-<id> buttons too)."""
    return page.page.locator(
        f'[flt-semantics-identifier="{screen}"] [flt-semantics-identifier="{identifier}"]'
    )


def ids_in(page: FletPage, screen: str, prefix: str) -> set[str]:
    return set(
        page.page.evaluate(
            "([screen, prefix]) => [...document.querySelectorAll("
            '`[flt-semantics-identifier="${screen}"] [flt-semantics-identifier^="${prefix}"]`)]'
            ".map(e => e.getAttribute('flt-semantics-identifier'))",
            [screen, prefix],
        )
    )


def server_inbox(url: str) -> list[dict]:
    return server_get(url, "/me/inbox")["items"]


def wait_for_answer(url: str, item_id: int, answer: str, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    items: list[dict] = []
    while time.monotonic() < deadline:
        items = server_inbox(url)
        if any(i["id"] == item_id and i["answer"] == answer for i in items):
            return
        time.sleep(0.5)
    raise AssertionError(f"the server never got {answer!r} for item {item_id}: {items}")


def unread_number(text: str) -> int:
    return int(re.findall(r"\d+", text)[0])


def seed(name: str) -> dict[str, dict]:
    return {r["id"]: r for r in seed_file(name)}


def test_details_read_aloud_and_answering_a_pushed_policy(browser, launcher, tmp_path, artifacts):
    record_dir = tmp_path / "played"
    record_dir.mkdir()
    player = shlex.join([sys.executable, str(PLAYER)]) + " {path}"
    services, policies = seed("services.json"), seed("policies.json")
    port = free_port()
    server = BackendSettings(data_dir=tmp_path / "server", dev_login_code=DEV_CODE)
    backend = EmbeddedBackend(server, port=port).start()
    try:
        app = launcher(
            "--api-url",
            backend.url,
            env={
                "SUNSHINE_SYNC_INTERVAL": "2",
                "SUNSHINE_DEV_LOGIN_CODE": DEV_CODE,
                "SUNSHINE_AUDIO_PLAYER": player,
                "RECORD_DIR": str(record_dir),
            },
        )
        page = FletPage(browser, f"{app.url}service/{CARD}", width=400, height=1400)
        page.open()

        # The service: every place to apply is a button, and so is every related policy.
        page.wait_for(f"institution-{services[CARD]['institution_ids'][0]}")
        assert ids_in(page, "screen-service", "institution-") == {
            f"institution-{i}" for i in services[CARD]["institution_ids"]
        }
        related = {f"policy-{p}" for p, v in policies.items() if CARD in v["related_service_ids"]}
        assert ids_in(page, "screen-service", "policy-") == related
        text = page.text_of("screen-service")
        for fact in (
            services[CARD]["materials"][0],
            services[CARD]["steps"][-1],
            "黄浦区残疾人联合会",
        ):
            assert fact in text
        assert "example-data" in page.identifiers()
        page.screenshot(artifacts / "service-detail.png")

        # A related policy: its issuer, date, document number and the services it covers.
        in_screen(page, "screen-service", "policy-pol-disability-classification-standard").click()
        page.wait_for("screen-policy")
        assert page.headings(1)[-1] == "《残疾人残疾分类和分级》"
        text = page.text_of("screen-policy")
        assert "GB/T 26341—2010" in text and "国家标准化管理委员会" in text and "2011" in text
        assert ids_in(page, "screen-policy", "service-") == {
            f"service-{CARD}",
            "service-svc-disability-card-renew",
        }
        page.screenshot(artifacts / "policy-detail.png")

        # Back to the service through the policy, then to an institution.
        in_screen(page, "screen-policy", f"service-{CARD}").click()
        page.wait_for("screen-service")
        in_screen(page, "screen-service", "institution-inst-huangpu-dpf").click()
        page.wait_for("screen-institution")
        text = page.text_of("screen-institution")
        assert page.headings(1)[-1] == "黄浦区残疾人联合会"
        for fact in ("残联", "黄浦区", "无障碍出入口", "周一至周五"):
            assert fact in text
        assert f"service-{CARD}" in ids_in(page, "screen-institution", "service-")
        page.screenshot(artifacts / "institution-detail.png")

        # 朗读 on the institution speaks it (real espeak-ng, recorded instead of played).
        page.activate("read-aloud")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(list(record_dir.glob("*.wav"))) < 2:
            time.sleep(0.2)
        assert len(list(record_dir.glob("*.wav"))) >= 2, app.log()[-3000:]
        page.page.keyboard.press("Escape")  # stops speaking, goes home
        page.wait_for("nav-login")

        # Signed in: home says how many pushed policies wait for an answer.
        items = server_inbox(backend.url)
        assert len(items) == 2 and all(i["answer"] is None for i in items)
        page.activate("nav-login")
        sign_in(page)
        page.activate("nav-back")
        page.wait_for("inbox-unread")
        assert unread_number(page.text_of("inbox-unread")) == 2
        assert unread_number(page.text_of("inbox")) == 2
        page.screenshot(artifacts / "home-inbox-unread.png")

        # The inbox: each item, its service link, three answers; an answer reaches the server.
        page.activate("inbox")
        page.wait_for("screen-inbox")
        item = next(i for i in items if i["service_id"] == "svc-hardship-living-subsidy")
        item_id = item["id"]
        page.wait_for(f"inbox-item-{item_id}")
        assert ids_in(page, "screen-inbox", "inbox-item-") == {
            f"inbox-item-{i['id']}" for i in items
        }
        assert item["title"] in page.text_of(f"inbox-item-{item_id}")
        assert in_screen(page, f"inbox-item-{item_id}", f"service-{item['service_id']}").count()
        assert ids_in(page, f"inbox-item-{item_id}", f"inbox-reply-{item_id}-") == {
            f"inbox-reply-{item_id}-{answer}"
            for answer in ("interested", "not_interested", "need_help")
        }
        page.screenshot(artifacts / "inbox.png")
        page.activate(f"inbox-reply-{item_id}-interested")
        page.wait_for("inbox-status")
        wait_for_answer(backend.url, item_id, "interested")

        # Answering again changes the answer.
        page.activate(f"inbox-reply-{item_id}-need_help")
        wait_for_answer(backend.url, item_id, "need_help")
        page.screenshot(artifacts / "inbox-answered.png")

        page.activate("nav-back")
        page.wait_for("screen-home")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and unread_number(page.text_of("inbox")) != 1:
            page.page.wait_for_timeout(200)
        assert unread_number(page.text_of("inbox")) == 1
        assert unread_number(page.text_of("inbox-unread")) == 1
        page.page.close()
    finally:
        backend.stop()
