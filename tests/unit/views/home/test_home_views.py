"""The home, customise, district and service screens build in every state and offer what fits.

Flet drops an exception raised while a screen is built, so each state is built here: signed out
and in, with and without records, sections hidden and moved, services pinned and used often.
The customising actions are driven for real (preferences in memory) and must say each change.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import flet as ft
import pytest
from control_tree import identifiers, screen_actions, texts, walk

from app.home.actions import HomeActions
from app.routes import resolve
from app.state import AppState
from services.api import CatalogChange
from services.catalog import Catalog
from services.home_layout import SECTIONS, HomeLayout
from services.personal import PersonalView
from services.preferences import Preferences
from services.sync.store import LocalStore
from services.usage import ServiceUsage
from views.catalog.district import district_view
from views.catalog.service import service_view
from views.home.customise import customise_view
from views.home.screen import home_view

ME = {
    "id": 1,
    "name": "张阿姨",
    "phone": "13800000001",
    "roles": ["resident"],
    "facts": {"district": "310101"},
}
DISTRICT = {"id": "310101", "code": "310101", "name": "黄浦区", "order": 1}
INSTITUTION = {
    "id": "inst-1",
    "name": "黄浦区残疾人联合会",
    "district": "310101",
    "address": "黄浦区示例路 1 号",
    "service_ids": ["svc-a"],
}
SERVICES = [
    {"id": "svc-a", "name": "残疾人证申领", "category": "残疾人证", "institution_ids": ["inst-1"]},
    {"id": "svc-b", "name": "辅具适配", "category": "辅具"},
]
RECORD = {
    "id": 1,
    "service_name": "残疾人证申领",
    "status": "in_review",
    "submitted_at": "2026-10-01T02:00:00Z",
}
VISIT = {
    "id": 1,
    "kind": "home_visit",
    "visited_at": "2026-10-02T02:00:00Z",
    "visitor_name": "王社工",
    "summary": "了解出行需要。",
}


pytestmark = pytest.mark.usefixtures("chinese")


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def event(start: datetime) -> dict[str, Any]:
    return {
        "id": "evt-1",
        "title": "视障朋友读书会",
        "institution_id": "inst-1",
        "district": "310101",
        "start_at": iso(start),
        "end_at": iso(start + timedelta(hours=2)),
        "capacity": 30,
        "signup_deadline": iso(start),
        "cancel_deadline": iso(start),
    }


def seeded(tmp_path) -> tuple[LocalStore, Catalog]:
    store = LocalStore(tmp_path / "s.db")
    records = [("district", DISTRICT["code"], DISTRICT), ("institution", "inst-1", INSTITUTION)]
    records += [("service", s["id"], s) for s in SERVICES]
    records.append(("event", "evt-1", event(datetime.now(UTC) + timedelta(days=2))))
    store.apply_page(
        [CatalogChange(kind=k, id=i, version=1, deleted=False, data=d) for k, i, d in records],
        "c1",
        last=True,
    )
    return store, Catalog(store)


class Preferred:
    """The session's apply_preferences, without a page: keeps them on the state."""

    def __init__(self, state: AppState) -> None:
        self.state = state
        self.saved: list[Preferences] = []

    def __call__(self, preferences: Preferences) -> None:
        self.saved.append(preferences)
        self.state.preferences = preferences


def make(state: AppState, store: LocalStore, catalog: Catalog, owner: str | None = None):
    told: list[str] = []
    account = SimpleNamespace(principal=lambda: owner)
    ctx = SimpleNamespace(
        catalog=catalog, usage=ServiceUsage(store), personal=SimpleNamespace(account=account)
    )
    home = HomeActions(state, ctx, told.append, Preferred(state))
    actions = screen_actions(home=home)
    return ctx, actions, told


def signed_in(**personal: Any) -> AppState:
    state = AppState(signed_in=True, personal=PersonalView(me=ME, **personal))
    state.districts = [SimpleNamespace(**DISTRICT)]
    return state


def test_signed_out_home_offers_sign_in_and_every_section(tmp_path):
    store, catalog = seeded(tmp_path)
    state = AppState()
    ctx, actions, _ = make(state, store, catalog)
    view = home_view(state, ctx, actions)
    found = identifiers(view)
    assert {"screen-home", "home-profile", "home-sign-in", "nav-login", "home-customise"} <= found
    assert "home-profile-open" not in found


def test_signed_out_sign_in_is_the_first_quick_action(tmp_path):
    """Two Tabs from the screen's name to 登录, not eleven (issue 16, item 12)."""
    store, catalog = seeded(tmp_path)
    state = AppState()
    ctx, actions, _ = make(state, store, catalog)
    in_order = [
        n.identifier
        for n in walk(home_view(state, ctx, actions))
        if isinstance(n, ft.Semantics) and (n.identifier or "").startswith(("nav-", "inbox"))
    ]
    assert in_order[:3] == ["nav-login", "nav-search", "nav-matching"], in_order


def test_signed_in_home_shows_the_card_records_visits_and_my_district(tmp_path):
    store, catalog = seeded(tmp_path)
    state = signed_in(service_records=[RECORD] * 4, visits=[VISIT])
    ctx, actions, _ = make(state, store, catalog, owner="1")
    view = home_view(state, ctx, actions)
    found = identifiers(view)
    assert {"home-profile-open", "home-my-district", "home-records-all"} <= found
    assert "nav-login" not in found and "home-visits-all" not in found
    shown = texts(view)
    assert "张阿姨" in shown and "138****0001" in shown and "13800000001" not in shown
    assert "王社工" in shown and "残疾人证申领" in shown


def test_hidden_sections_are_left_out_and_the_order_is_the_persons(tmp_path):
    store, catalog = seeded(tmp_path)
    state = signed_in(service_records=[RECORD] * 4)
    ctx, actions, _ = make(state, store, catalog, owner="1")
    state.preferences = Preferences(home=HomeLayout().hide("records").move("districts", -10))
    view = home_view(state, ctx, actions)
    assert "home-records-all" not in identifiers(view)
    headings = [line for line in texts(view).splitlines() if line in ("区旗舰店", "常用功能")]
    assert headings[:2] == ["区旗舰店", "常用功能"]


def test_pinned_and_frequent_services_appear_with_their_own_identifiers(tmp_path):
    store, catalog = seeded(tmp_path)
    state = signed_in()
    ctx, actions, _ = make(state, store, catalog, owner="1")
    assert "pinned-svc-b" not in identifiers(home_view(state, ctx, actions))
    actions.home.pin("svc-b")
    for _ in range(3):
        actions.home.note_route("/service/svc-a")
    actions.home.note_route("/search")  # not a service: not counted
    found = identifiers(home_view(state, ctx, actions))
    assert {"pinned-svc-b", "frequent-svc-a"} <= found
    assert ctx.usage.frequent("1") == ["svc-a"]


def test_customising_moves_hides_and_pins_and_says_so(tmp_path):
    store, catalog = seeded(tmp_path)
    state = AppState()
    _ctx, actions, told = make(state, store, catalog)
    home = actions.home
    home.move("common", -1)
    assert told[-1] == "已移动。常用服务：第 4 位，共 8 位。"
    assert state.preferences.home.sections().index("common") == 3
    home.move("pinned", -1)
    assert told[-1] == "已固定的服务已经在最前面。"
    home.hide("visits")
    assert state.preferences.home.is_hidden("visits") and "隐藏" in told[-1]
    home.pin("svc-a")
    home.pin("svc-b")
    home.move_pin("svc-b", -1)
    assert state.preferences.home.pinned == ("svc-b", "svc-a")
    assert told[-1] == "已移动。辅具适配：第 1 位，共 2 位。"
    route, _ = resolve("/home/customise")
    found = identifiers(customise_view("/home/customise", route, state, catalog, actions))
    assert {f"section-up-{s}" for s in SECTIONS} <= found
    assert {"pin-up-svc-b", "unpin-svc-a", "home-reset", "section-hide-visits"} <= found
    home.reset()
    assert state.preferences.home == HomeLayout()


def test_the_service_screen_pins_and_unpins(tmp_path):
    store, catalog = seeded(tmp_path)
    state = AppState()
    _ctx, actions, _told = make(state, store, catalog)
    route, _ = resolve("/service/svc-a")
    view = service_view("/service/svc-a", route, "svc-a", catalog, actions, pinned=False)
    assert "pin-svc-a" in identifiers(view)
    assert "固定到首页" in texts(view)
    pinned = service_view("/service/svc-a", route, "svc-a", catalog, actions, pinned=True)
    assert "取消固定" in texts(pinned)


def test_the_district_page_lists_institutions_services_and_events(tmp_path):
    store, catalog = seeded(tmp_path)
    _ctx, actions, _ = make(AppState(), store, catalog)
    route, _ = resolve("/district/310101")
    view = district_view("/district/310101", route, "310101", catalog, actions)
    assert {"institution-inst-1", "service-svc-a", "event-evt-1"} <= identifiers(view)
    assert "service-svc-b" not in identifiers(view)  # offered by no institution here
    assert "1 个机构" in texts(view)
    empty = district_view("/district/310199", route, "310199", catalog, actions)
    assert "screen-district" in identifiers(empty)
