"""Matching (screen-matching): what the person can get, why, and what we still need to know.

Matched on every render from the local store and the profile as shown (queued edits included),
so an answer given here re-matches at once, offline too.
"""

from __future__ import annotations

from typing import Any

import flet as ft

from accessibility.semantics import action_button, body_text, choice_group, heading, status_region
from accessibility.theme import current_look
from app.actions import Actions
from app.context import AppContext
from app.i18n import _
from app.matching.messages import (
    FACT_QUESTIONS,
    STATUS_HEADINGS,
    fact_label,
    match_sentence,
    matching_summary,
    needed_facts,
    value_label,
)
from app.messages import chosen_label
from app.registry import Route
from app.state import AppState
from services.matching import EDITABLE_FACTS, Eligibility, Match
from views.chrome import notice, screen_view
from views.gates import sign_in_first

SHOWN_FIRST = (
    Eligibility.GRANTED,
    Eligibility.APPLIED,
    Eligibility.ELIGIBLE,
    Eligibility.MAYBE,
)


def matching_view(
    path: str, route: Route, state: AppState, ctx: AppContext, actions: Actions
) -> ft.View:
    title = _(route.title)
    if not state.signed_in:
        why = _(
            "Matching uses what we know about your situation: your household "
            "registration, disability certificate, type and level, income and work. "
            "Sign in to see what you can get and why."
        )
        return sign_in_first(path, route, actions, why, primary=True)
    if not state.personal.loaded:
        controls: list[ft.Control] = [body_text(_("Loading your profile…"))]
        return screen_view(path, route.identifier, title, controls, actions)

    matches = actions.matching.matches()
    districts = {d.code: d.name for d in state.districts}
    facts = (state.personal.me or {}).get("facts") or {}
    controls = [
        # Both are announced by the action that changes them (rematched_sentence).
        status_region(body_text(matching_summary(matches)), "matching-summary"),
        status_region(
            body_text(state.form_message, color=ft.Colors.ERROR if state.form_error else None),
            "matching-status",
        ),
    ]
    needed = [f for f in needed_facts(matches) if f in EDITABLE_FACTS]
    if needed and not state.matching.editing_facts:
        controls.append(heading(_("We still need to know"), level=2))
        for fact in needed:
            controls += fact_question(fact, facts.get(fact), districts, actions)
    controls.append(
        action_button(
            _("Done changing my situation")
            if state.matching.editing_facts
            else _("Change my situation"),
            "facts-edit",
            lambda _e: actions.matching.toggle_editing(),
            icon=ft.Icons.EDIT_NOTE,
        )
    )
    if state.matching.editing_facts:
        controls.append(heading(_("My situation"), level=2))
        for fact in EDITABLE_FACTS:
            controls += fact_question(fact, facts.get(fact), districts, actions)
    for status in SHOWN_FIRST:
        controls += match_section(status, matches, districts, actions)
    hidden = [m for m in matches if m.status not in SHOWN_FIRST]
    if hidden:
        controls.append(
            action_button(
                _("Hide the services that are not for you")
                if state.matching.show_not_eligible
                else _("Show the {n} services that are not for you now").format(n=len(hidden)),
                "matching-show-not-eligible",
                lambda _e: actions.matching.toggle_not_eligible(),
            )
        )
        if state.matching.show_not_eligible:
            for status in (Eligibility.NOT_ELIGIBLE, Eligibility.UNKNOWN_RULE):
                controls += match_section(status, matches, districts, actions)
    controls.append(
        notice(
            _(
                "This is a guide, not a decision: the office that handles your application "
                "checks the conditions. The rules here are examples and have not been verified."
            ),
            "matching-disclaimer",
            warning=False,
            icon=ft.Icons.INFO_OUTLINE,
        )
    )
    return screen_view(path, route.identifier, title, controls, actions)


def match_section(
    status: Eligibility, matches: list[Match], districts: dict[str, str], actions: Actions
) -> list[ft.Control]:
    of_status = [m for m in matches if m.status is status]
    if not of_status:
        return []
    gap = current_look().scale.gap
    controls: list[ft.Control] = [heading(f"{_(STATUS_HEADINGS[status])} ({len(of_status)})", 2)]
    for match in of_status:
        lines: list[ft.Control] = [
            action_button(
                match.name,
                f"match-{match.service_id}",
                lambda _e, sid=match.service_id: actions.go(f"/service/{sid}"),
                expand=True,
            ),
            body_text(match_sentence(match, districts)),
        ]
        how = match.service.get("how")
        if status in (Eligibility.ELIGIBLE, Eligibility.MAYBE) and how:
            lines.append(body_text(_("How to apply: {how}").format(how=how)))
        controls.append(
            ft.Column(lines, spacing=gap, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
        )
    return controls


def fact_question(
    fact: str, current: Any, districts: dict[str, str], actions: Actions
) -> list[ft.Control]:
    """The question, what we hold now, and one button per answer (the current one filled)."""
    question = FACT_QUESTIONS[fact]
    if fact == "district":
        choices = list(districts.items())
    else:
        choices = [(value, _(label)) for value, label in question.choices]
    known = value_label(fact, current, districts) if current is not None else _("not known yet")
    values = {str(value).lower(): value for value, _label in choices}
    return [
        heading(_(question.question), level=3),
        body_text(_("{what}: {value}").format(what=fact_label(fact).capitalize(), value=known)),
        choice_group(
            [(str(value).lower(), label) for value, label in choices],
            str(current).lower() if current is not None else None,
            f"fact-{fact}",
            lambda chosen: actions.matching.answer(fact, values[chosen]),
            required=False,  # a fact we do not know yet has no answer chosen
            mark_chosen=chosen_label,
        ),
    ]
