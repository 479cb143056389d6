"""Messages (screen-notifications): what happened to my trips and my volunteering, newest first.

The same sentences are announced when a message arrives while the app is open; this screen is
where they stay, so a message heard in a noisy street can be found again.
"""

from __future__ import annotations

import flet as ft

from accessibility.semantics import action_button, body_text
from app.actions import Actions
from app.features import notification_sentence
from app.i18n import _, format_day
from app.registry import Route
from app.state import AppState
from services.trips.commands import unread_notifications
from views.chrome import card, screen_view
from views.gates import account_gate, status_notices


def notifications_view(path: str, route: Route, state: AppState, actions: Actions) -> ft.View:
    gate = account_gate(path, route, state, actions, _("Sign in to see messages about your trips."))
    if gate is not None:
        return gate

    items = state.personal.notifications
    unread = unread_notifications(items)
    controls = status_notices(state, "notifications-status", actions)
    if unread:
        newest = max(int(item["id"]) for item in unread)
        controls.append(
            action_button(
                _("Mark all as read"),
                "notifications-read",
                lambda _e: actions.trips.mark_read(newest),
                icon=ft.Icons.DONE_ALL,
            )
        )
    if not items:
        controls.append(body_text(_("You have no messages.")))
    for item in items:
        sentence = notification_sentence(item, actions.now())
        if not item.get("read_at"):
            sentence = _("New: {message}").format(message=sentence)
        controls.append(
            card(
                f"notification-{item['id']}",
                [
                    body_text(sentence),
                    body_text(_("Sent on {date}.").format(date=format_day(item["created_at"]))),
                ],
            )
        )
    return screen_view(path, route.identifier, _(route.title), controls, actions)
