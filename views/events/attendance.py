"""My attendance record (screen-attendance): events I attended, was excused from or missed.

A missed event says why it was marked and offers an appeal; the screen says plainly that the
record never stops anyone signing up, so nobody is shut out without knowing it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import flet as ft

from accessibility.semantics import action_button, body_text, heading
from app.actions import Actions
from app.events.messages import (
    APPEAL_REASONS,
    appeal_sentence,
    attendance_sentence,
    event_title,
    excuse_sentence,
    never_blocks_sentence,
    record_summary_sentence,
)
from app.i18n import _
from app.registry import Route
from app.state import AppState
from services.validation import APPEAL_TEXT_LIMIT
from views.chrome import card, notice, screen_view
from views.events.parts import reason_buttons
from views.gates import account_gate, status_notices
from views.long_text import long_text_input


def attendance_view(path: str, route: Route, state: AppState, actions: Actions) -> ft.View:
    gate = account_gate(path, route, state, actions, _("Sign in to see your attendance at events."))
    if gate is not None:
        return gate
    record = state.personal.attendance or {}
    now = actions.now()
    controls: list[ft.Control] = status_notices(state, "attendance-status", actions)
    controls += [
        notice(never_blocks_sentence(), "attendance-never-blocks", warning=False),
        body_text(record_summary_sentence(record.get("summary") or {})),
    ]
    items = record.get("items") or []
    if not items:
        controls.append(body_text(_("No past events yet.")))
    controls += [record_card(item, state, actions, now) for item in items]
    return screen_view(path, route.identifier, _(route.title), controls, actions, back_to="/events")


def record_card(
    signup: dict[str, Any], state: AppState, actions: Actions, now: datetime
) -> ft.Control:
    parts: list[ft.Control] = [heading(event_title(signup, now), level=2)]
    for line in (attendance_sentence(signup), excuse_sentence(signup), appeal_sentence(signup)):
        if line:
            parts.append(body_text(line))
    parts += appeal_controls(signup, state, actions)
    return card(f"record-{signup['id']}", parts)


def appeal_controls(signup: dict[str, Any], state: AppState, actions: Actions) -> list[ft.Control]:
    """An absence without an appeal: the reason, a few words, then send."""
    if signup.get("attendance") != "no_show" or signup.get("appeal"):
        return []
    events, signup_id = actions.events, str(signup["id"])
    if state.confirming != f"appeal:{signup_id}":
        return [
            action_button(
                _("This was not my fault: appeal"),
                f"appeal-{signup_id}",
                lambda _e: events.ask_to_confirm("appeal", signup_id),
            )
        ]
    return [
        long_text_input(
            _("What happened? (a few words)"),
            f"appeal-text-{signup_id}",
            "text",
            APPEAL_TEXT_LIMIT,
            actions,
            value=state.drafts.appeal_text,
            on_change=lambda e: events.type_appeal(e.control.value or ""),
        ),
        body_text(_("Choose the reason to send the appeal:")),
        reason_buttons(
            f"appeal-{signup_id}", lambda reason: events.appeal(signup_id, reason), APPEAL_REASONS
        ),
        action_button(_("Not now"), f"appeal-{signup_id}-keep", lambda _e: events.keep()),
    ]
