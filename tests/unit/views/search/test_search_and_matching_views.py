"""The search and matching screens build in every state they can be in.

Flet drops an exception raised while a screen is built: the person just sees nothing happen. So
each state is built here, from the real seed catalogue and the demo resident's facts.
"""

from __future__ import annotations

from types import SimpleNamespace
from unittest.mock import MagicMock

import pytest
from control_tree import identifiers

from app.matching.actions import MatchingActions
from app.routes import resolve
from app.state import AppState
from backend.demo_users import RESIDENT_BIRTH_DATE, RESIDENT_FACTS
from services.catalog import Catalog
from services.clock import utc_now
from services.personal import PersonalView
from services.search import CatalogSearch
from services.sync.store import LocalStore
from tests.seed_catalogue import seeded_catalog
from views.matching.screen import matching_view
from views.search.screen import search_view

ZHANG = {**RESIDENT_FACTS, "birth_date": RESIDENT_BIRTH_DATE}  # low income not known


@pytest.fixture
def catalog(store: LocalStore) -> Catalog:
    return seeded_catalog(store)


@pytest.mark.parametrize("editing", [False, True])
@pytest.mark.parametrize("not_eligible", [False, True])
def test_matching_builds_signed_in(catalog: Catalog, editing: bool, not_eligible: bool) -> None:
    state = AppState(signed_in=True, personal=PersonalView(me={"facts": ZHANG}))
    state.matching.editing_facts, state.matching.show_not_eligible = editing, not_eligible
    state.districts = catalog.districts()
    route, _ = resolve("/matching")

    ctx = SimpleNamespace(catalog=catalog, clock=utc_now)
    actions = MagicMock()
    actions.matching = MatchingActions(state, ctx, lambda _m: None, lambda: None)
    view = matching_view("/matching", route, state, ctx, actions)

    found = identifiers(view)
    assert {"screen-matching", "matching-summary", "match-svc-severe-care-subsidy"} <= found
    assert ("fact-district-310101" in found) is editing  # every fact is asked while editing
    assert "fact-low_income-dibao" in found  # missing, so asked either way
    assert ("match-svc-child-rehab-aid" in found) is not_eligible  # she is 71


def test_matching_builds_signed_out_and_while_loading(catalog: Catalog) -> None:
    route, _ = resolve("/matching")
    ctx = SimpleNamespace(catalog=catalog)
    signed_out = matching_view("/matching", route, AppState(), ctx, MagicMock())
    assert "nav-login" in identifiers(signed_out)
    loading = matching_view("/matching", route, AppState(signed_in=True), ctx, MagicMock())
    assert "screen-matching" in identifiers(loading)


@pytest.mark.parametrize("query", ["", "cjrz", "轮椅", "qqqzzzxx", "😀" * 300])
def test_search_builds_for_any_result(catalog: Catalog, store: LocalStore, query: str) -> None:
    state = AppState()
    state.common_services = catalog.common_services()
    if query:
        state.show_search(CatalogSearch(store).search(query))
    route, _ = resolve("/search")

    found = identifiers(search_view("/search", route, state, MagicMock()))

    assert {"screen-search", "search-input", "search-count"} <= found
    hits = state.search.result.hits if state.search.result else ()
    assert {f"search-result-{hit.id}" for hit in hits} <= found
    if not hits:
        assert any(i.startswith("service-") for i in found)  # suggestions instead
