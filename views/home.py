"""Home (screen-home): sync status, quick actions, common services, the 16 district entries."""

from __future__ import annotations

import flet as ft

from accessibility.semantics import action_button, body_text, heading
from accessibility.theme import current_look
from app.account_messages import waiting_sentence
from app.actions import Actions, Navigate
from app.i18n import N_, _
from app.inbox_messages import inbox_action_label, unread_count, unread_sentence
from app.messages import sync_status_sentence
from app.state import AppState, SyncStatus
from app.trip_messages import messages_action_label, unread_messages_sentence
from services.trips import unread_notifications
from views.chrome import notice, screen_view, wrap

# (identifier, label msgid, route, icon)
QUICK_ACTIONS: tuple[tuple[str, str, str, ft.IconData], ...] = (
    ("nav-search", N_("Search services"), "/search", ft.Icons.SEARCH),
    ("nav-matching", N_("What I can get"), "/matching", ft.Icons.FACT_CHECK),
    ("nav-trip-new", N_("Ask for a travel guide"), "/trips/new", ft.Icons.ACCESSIBILITY_NEW),
    ("nav-trips", N_("My trips"), "/trips", ft.Icons.DIRECTIONS_WALK),
    ("nav-volunteer", N_("Volunteers"), "/volunteer", ft.Icons.VOLUNTEER_ACTIVISM),
    ("nav-events", N_("Events"), "/events", ft.Icons.EVENT),
    ("inbox", N_("Policies for you"), "/inbox", ft.Icons.MARK_EMAIL_UNREAD),
    ("nav-notifications", N_("Messages"), "/notifications", ft.Icons.NOTIFICATIONS),
    ("nav-profile", N_("My profile"), "/profile", ft.Icons.PERSON),
    ("nav-login", N_("Sign in"), "/login", ft.Icons.LOGIN),
    ("nav-settings", N_("Settings"), "/settings", ft.Icons.SETTINGS),
)


def home_view(state: AppState, actions: Actions) -> ft.View:
    go = actions.go
    return screen_view(
        "/",
        "screen-home",
        _("Sunshine"),
        [
            sync_banner(state),
            *filter(None, [waiting_banner(state), inbox_banner(state), messages_banner(state)]),
            heading(_("Quick actions"), level=2),
            wrap(
                [
                    action_button(
                        quick_label(state, ident, label), ident, _go(go, route), icon=icon
                    )
                    for ident, label, route, icon in QUICK_ACTIONS
                ]
            ),
            heading(_("Common services"), level=2),
            common_services(state, go),
            heading(_("District flagship services"), level=2),
            districts(state, go),
        ],
        actions,
        back_to=None,
    )


def sync_banner(state: AppState) -> ft.Control:
    offline = state.sync_status is SyncStatus.OFFLINE
    return notice(
        sync_status_sentence(state.sync_status, state.catalog_empty),
        "sync-status",
        warning=offline,
        icon=ft.Icons.CLOUD_OFF if offline else ft.Icons.CLOUD_DONE,
    )


def waiting_banner(state: AppState) -> ft.Control | None:
    """ "N actions waiting to send", while there are any (DESIGN.md §4)."""
    if not state.personal.waiting:
        return None
    return notice(
        waiting_sentence(state.personal.waiting),
        "outbox-waiting",
        warning=True,
        icon=ft.Icons.SCHEDULE_SEND,
    )


def inbox_banner(state: AppState) -> ft.Control | None:
    """How many pushed policies (政策找人) wait for an answer, in a live region."""
    unread = unread_count(state.personal)
    if not unread:
        return None
    return notice(
        unread_sentence(unread), "inbox-unread", warning=False, icon=ft.Icons.MARK_EMAIL_UNREAD
    )


def messages_banner(state: AppState) -> ft.Control | None:
    """How many messages about trips are unread, in a live region."""
    unread = len(unread_notifications(state.personal.notifications))
    if not unread:
        return None
    return notice(
        unread_messages_sentence(unread),
        "notifications-unread",
        warning=False,
        icon=ft.Icons.NOTIFICATIONS_ACTIVE,
    )


def quick_label(state: AppState, identifier: str, label: str) -> str:
    """A quick action's label; the inbox's and messages' say how many are new."""
    if identifier == "inbox":
        return inbox_action_label(unread_count(state.personal))
    if identifier == "nav-notifications":
        return messages_action_label(len(unread_notifications(state.personal.notifications)))
    return _(label)


def common_services(state: AppState, go: Navigate) -> ft.Control:
    if not state.common_services:
        return body_text(_("No services are saved on this device yet."))
    return ft.Column(
        [
            action_button(
                service.name,
                f"service-{service.id}",
                _go(go, f"/service/{service.id}"),
                expand=True,
            )
            for service in state.common_services
        ],
        spacing=current_look().scale.gap,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )


def districts(state: AppState, go: Navigate) -> ft.Control:
    if not state.districts:
        return body_text(_("The district list is not saved on this device yet."))
    return wrap(
        [
            action_button(d.name, f"district-{d.code}", _go(go, f"/district/{d.code}"))
            for d in state.districts
        ]
    )


def _go(go: Navigate, route: str):
    return lambda _e: go(route)
