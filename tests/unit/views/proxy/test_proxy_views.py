"""The 代办 screens and sentences build in every state: signed out, a fresh code, a used or
expired code, consents with and without actions, acting for someone (banner on every screen,
the confirmation to stop while actions wait), and every refusal worded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from control_tree import identifiers, screen_actions, texts

from app.i18n import set_language
from app.proxy.actions import STOP_ACTING, ProxyActions
from app.proxy.messages import (
    PROBLEMS,
    proxy_failure_sentence,
    proxy_notification_sentence,
    proxy_rejection_sentence,
)
from app.routes import resolve
from app.state import AppState
from services.clock import utc_now
from services.errors import InputError, ProblemError
from services.personal import PersonalView
from services.sync.outbox import Rejection
from views.proxy.act_for import act_for_view
from views.proxy.consent import consent_view
from views.settings.screen import settings_view

ME = {"id": 1, "name": "张阿姨", "phone": "13800000001", "roles": ["resident"]}
HELPER = {"id": 9, "name": "王社工", "phone_masked": "138****0009"}
RESIDENT = {"id": 1, "name": "张阿姨", "phone_masked": "138****0001"}


def now() -> datetime:
    """At the test's own time: the suite collects long before it runs some tests."""
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def consent(state: str = "active", actions: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "id": "c-1",
        "state": state,
        "resident": RESIDENT,
        "helper": HELPER,
        "granted_at": iso(now() - timedelta(hours=1)),
        "expires_at": iso(now() + timedelta(hours=11)),
        "ended_at": None,
        "version": 1,
        "actions": actions or [],
    }


@pytest.fixture(autouse=True)
def chinese():
    set_language("zh_CN")


def build(view, path: str, state: AppState):
    proxy = ProxyActions(
        state,
        SimpleNamespace(clock=utc_now),
        lambda _m: None,
        lambda: None,
        lambda _r: None,
        lambda _t: None,
        run_task=lambda *_a: None,
    )
    actions = screen_actions(proxy=proxy)
    route, _ = resolve(path)
    return view(path, route, state, actions)


def signed_in(**personal: Any) -> AppState:
    return AppState(signed_in=True, personal=PersonalView(me=ME, **personal))


def test_signed_out_is_sent_to_sign_in():
    for view, path in ((consent_view, "/consent"), (act_for_view, "/act-for")):
        assert "nav-login" in identifiers(build(view, path, AppState()))


def test_a_fresh_code_is_shown_until_used_or_expired():
    state = signed_in()
    grant = {"code": "68496412", "expires_at": iso(now() + timedelta(minutes=10)), "lasts": "day"}
    state.proxy.consent_code = {**grant, "consents_before": 0}
    view = build(consent_view, "/consent", state)
    assert {"consent-code", "consent-say-code", "consent-code-day", "consent-code-month"} <= (
        identifiers(view)
    )
    assert "6849 6412" in texts(view)
    state.personal = PersonalView(me=ME, consents=[consent()])  # used: a consent appeared
    assert "consent-code" not in identifiers(build(consent_view, "/consent", state))
    state.personal = PersonalView(me=ME)
    state.proxy.consent_code = {**grant, "expires_at": iso(now() - timedelta(seconds=1))}
    assert "consent-code" not in identifiers(build(consent_view, "/consent", state))


def test_consents_list_what_was_done_and_only_live_ones_can_be_withdrawn():
    done = [{"id": 1, "kind": "event_signup", "at": iso(now()), "target": {"event_id": "e"}}]
    state = signed_in(consents=[consent(actions=done)])
    view = build(consent_view, "/consent", state)
    assert {"consent-c-1", "consent-withdraw-c-1"} <= identifiers(view)
    assert "王社工为您报名了活动" in texts(view)
    state.personal = PersonalView(me=ME, consents=[consent("withdrawn")])
    view = build(consent_view, "/consent", state)
    assert "consent-withdraw-c-1" not in identifiers(view) and "已撤回" in texts(view)


def test_a_consent_asked_for_is_confirmed_or_refused_not_withdrawn():
    view = build(consent_view, "/consent", signed_in(consents=[consent("pending")]))
    found = identifiers(view)
    assert {"consent-confirm-c-1", "consent-refuse-c-1"} <= found
    assert "consent-withdraw-c-1" not in found
    assert "王社工请求代您办理" in texts(view) and "等待确认" in texts(view)
    active = identifiers(build(consent_view, "/consent", signed_in(consents=[consent()])))
    assert "consent-confirm-c-1" not in active and "consent-withdraw-c-1" in active


def test_the_helper_types_a_code_and_sees_whom_they_can_act_for():
    state = signed_in(proxy_consents=[consent()])
    found = identifiers(build(act_for_view, "/act-for", state))
    assert {"act-for-phone", "act-for-code", "act-for-submit", "held-consent-c-1"} <= found
    assert {"act-for-end-c-1", "act-for-start-c-1"} <= found


def test_the_helper_waits_for_a_pending_consent_and_cannot_act_yet():
    view = build(act_for_view, "/act-for", signed_in(proxy_consents=[consent("pending")]))
    found = identifiers(view)
    assert "act-for-start-c-1" not in found and "act-for-end-c-1" in found
    assert "已请张阿姨在自己的手机上" in texts(view)


def test_while_acting_every_screen_says_for_whom_and_offers_stop():
    acting = {"consent_id": "c-1", "resident_id": "1", "resident_name": "张阿姨"}
    state = signed_in(acting_for=acting)
    view = build(settings_view, "/settings", state)
    assert {"acting-for", "act-for-stop"} <= identifiers(view)
    assert "您正在代张阿姨办理" in texts(view)
    assert "act-for-stop-anyway" not in identifiers(view)
    state.confirming = STOP_ACTING
    assert "act-for-stop-anyway" in identifiers(build(settings_view, "/settings", state))
    assert "act-for-code" not in identifiers(build(act_for_view, "/act-for", state))


@pytest.mark.parametrize("code", sorted(PROBLEMS))
def test_every_refusal_has_its_own_sentence(code):
    sentence = proxy_failure_sentence(ProblemError(403, code, "t", "d"))
    assert sentence and "服务器出了问题" not in sentence
    assert proxy_failure_sentence(InputError("proxy", code)) == sentence


def test_rejections_and_the_message_about_a_new_helper_are_worded():
    gone = Rejection("a", "event_signup", {}, "consent_withdrawn")
    assert proxy_rejection_sentence(gone) == "一项代办操作没有完成。 居民已撤回同意。"
    assert proxy_rejection_sentence(Rejection("a", "event_signup", {}, "signup_closed")) is None
    withdraw = Rejection("a", "consent_withdraw", {}, "consent_not_found")
    assert proxy_rejection_sentence(withdraw).startswith("撤回同意没有成功。")
    note = {"kind": "proxy_started", "data": {"helper_name": "王社工"}}
    assert "王社工现在可以代您办理" in proxy_notification_sentence(note)
    asked = {"kind": "proxy_requested", "data": {"helper_name": "王社工"}}
    assert "王社工请求代您办理" in proxy_notification_sentence(asked)
    confirmed = {"kind": "proxy_confirmed", "data": {"resident_name": "张阿姨"}}
    assert "张阿姨已确认" in proxy_notification_sentence(confirmed)
    assert proxy_notification_sentence({"kind": "trip_claimed"}) is None
