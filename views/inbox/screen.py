"""Policies for you (screen-inbox, 政策找人): pushed policies and the person's answer to each.

An answer goes through the outbox: it shows here at once, and the waiting count says it has not
reached the server yet.
"""

from __future__ import annotations

from typing import Any

import flet as ft

from accessibility.semantics import action_button, body_text, choice_group, heading
from app.account.messages import waiting_sentence
from app.actions import Actions
from app.i18n import _, format_day
from app.inbox.messages import ANSWER_LABELS, answer_sentence
from app.messages import chosen_label
from app.registry import Route
from app.state import AppState
from services.catalog import Catalog
from views.chrome import card, notice, screen_view
from views.gates import form_notice, sign_in_first


def inbox_view(
    path: str, route: Route, state: AppState, catalog: Catalog, actions: Actions
) -> ft.View:
    personal = state.personal
    sign_in = action_button(_("Sign in"), "nav-login", lambda _e: actions.go("/login"))
    if personal.me is None:
        why = _(
            "Sign in to see the policies we think you may qualify for, and to tell us "
            "whether you want them."
        )
        return sign_in_first(path, route, actions, why)

    controls: list[ft.Control] = []
    if state.session_expired or not state.signed_in:
        controls += [
            notice(
                _("Your sign-in has expired. Please sign in again."),
                "session-expired",
                warning=True,
            ),
            sign_in,
        ]
    if personal.waiting:
        controls.append(notice(waiting_sentence(personal.waiting), "outbox-waiting", warning=True))
    controls += form_notice(state, "inbox-status")
    if not personal.inbox:
        controls.append(body_text(_("No policies have been sent to you yet.")))
    controls += [inbox_item(item, catalog, actions) for item in personal.inbox]
    return screen_view(path, route.identifier, _(route.title), controls, actions)


def inbox_item(item: dict[str, Any], catalog: Catalog, actions: Actions) -> ft.Control:
    """One pushed policy: what it says, a link to its service, the answer and how to change it."""
    item_id = item["id"]
    parts: list[ft.Control] = [
        heading(str(item.get("title") or ""), level=2),
        body_text(str(item.get("body") or "")),
        body_text(_("Sent on {date}.").format(date=format_day(item.get("created_at") or ""))),
    ]
    service_id = item.get("service_id")
    if service_id:
        service = catalog.service(service_id)
        label = (
            _("{label}: {value}").format(label=_("Service"), value=service.name)
            if service is not None
            else _("Open the related service")
        )
        parts.append(
            action_button(
                label, f"service-{service_id}", lambda _e: actions.go(f"/service/{service_id}")
            )
        )
    answer = item.get("answer")
    parts.append(body_text(answer_sentence(answer), weight=ft.FontWeight.W_600))
    parts.append(
        choice_group(
            [(choice, _(label)) for choice, label in ANSWER_LABELS.items()],
            answer,
            f"inbox-reply-{item_id}",
            lambda choice: actions.inbox.reply(item_id, choice),
            required=False,  # not answered yet
            mark_chosen=chosen_label,
        )
    )
    return card(f"inbox-item-{item_id}", parts)
