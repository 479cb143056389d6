"""Search (screen-search): results as you type, grouped by kind, each saying why it was found."""

from __future__ import annotations

import flet as ft

from accessibility.semantics import action_button, body_text, heading, status_region, text_input
from accessibility.theme import current_look
from app.actions import Actions
from app.i18n import _
from app.registry import Route
from app.search.messages import KIND_HEADINGS, hit_label, kind_heading, result_count_sentence
from app.state import AppState
from services.search import SearchHit
from views.catalog.parts import link_buttons
from views.chrome import screen_view

DETAIL_ROUTES = {
    "service": "/service/{id}",
    "policy": "/policy/{id}",
    "institution": "/institution/{id}",
}


def search_view(path: str, route: Route, state: AppState, actions: Actions) -> ft.View:
    search = actions.search
    controls: list[ft.Control] = [
        text_input(
            _("Search services, policies and places"),
            "search-input",
            value=state.drafts.search,
            hint=_("Characters, pinyin or initials, e.g. canjirenzheng or cjrz"),
            on_change=lambda e: search.typed(e.control.value or ""),
            on_submit=lambda e: search.submit(e.control.value or ""),
        ),
        # The count is announced by the search itself (result_count_sentence).
        status_region(body_text(_count_line(state)), "search-count"),
    ]
    result = state.search.result
    if result is not None and result.hits:
        controls += _grouped(result.hits, actions)
        if result.total > len(result.hits):
            controls.append(
                body_text(
                    _("Showing the best {shown} of {total}. Type more to narrow the list.").format(
                        shown=len(result.hits), total=result.total
                    )
                )
            )
    else:
        controls += _suggestions(state, actions, nothing_found=result is not None)
    return screen_view(path, route.identifier, _(route.title), controls, actions)


def _count_line(state: AppState) -> str:
    if state.search.result is None:
        return _("Type to search. Results appear as you type.")
    return result_count_sentence(state.search.result)


def _grouped(hits: tuple[SearchHit, ...], actions: Actions) -> list[ft.Control]:
    """One section per kind, in the order the kinds are listed; hits keep their rank within it."""
    controls: list[ft.Control] = []
    for kind in KIND_HEADINGS:
        of_kind = [hit for hit in hits if hit.kind == kind]
        if not of_kind:
            continue
        controls.append(heading(kind_heading(kind, len(of_kind)), level=2))
        controls.append(
            ft.Column(
                [_result_button(hit, actions) for hit in of_kind],
                spacing=current_look().scale.gap,
                horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
            )
        )
    return controls


def _result_button(hit: SearchHit, actions: Actions) -> ft.Control:
    target = DETAIL_ROUTES[hit.kind].format(id=hit.id)
    return action_button(
        hit_label(hit), f"search-result-{hit.id}", lambda _e: actions.go(target), expand=True
    )


def _suggestions(state: AppState, actions: Actions, *, nothing_found: bool) -> list[ft.Control]:
    """Before typing, or when nothing matched: ways to search, and the most used services."""
    controls: list[ft.Control] = []
    if nothing_found:
        controls.append(
            body_text(
                _(
                    "Check the spelling, try fewer characters, or say it another way: "
                    "for example “wheelchair” instead of the item's full name."
                )
            )
        )
    if state.common_services:
        controls.append(heading(_("Services people use most"), level=2))
        controls.append(
            link_buttons(
                ((s.name, f"service-{s.id}", f"/service/{s.id}") for s in state.common_services),
                actions,
            )
        )
    return controls
