"""Home (screen-home): sync status, quick actions, common services, the 16 district entries."""

from __future__ import annotations

import flet as ft

from accessibility.semantics import action_button, body_text, heading, status_region
from accessibility.theme import OFFLINE_BG, OFFLINE_FG, ONLINE_BG, ONLINE_FG, STANDARD
from app.i18n import N_, _
from app.messages import sync_status_sentence
from app.state import AppState, SyncStatus
from views.chrome import Navigate, screen_view

# (identifier, label msgid, route, icon)
QUICK_ACTIONS: tuple[tuple[str, str, str, ft.IconData], ...] = (
    ("nav-search", N_("Search services"), "/search", ft.Icons.SEARCH),
    ("nav-matching", N_("What I can get"), "/matching", ft.Icons.FACT_CHECK),
    ("nav-trip-new", N_("Ask for a travel guide"), "/trips/new", ft.Icons.ACCESSIBILITY_NEW),
    ("nav-trips", N_("My trips"), "/trips", ft.Icons.DIRECTIONS_WALK),
    ("nav-volunteer", N_("Volunteers"), "/volunteer", ft.Icons.VOLUNTEER_ACTIVISM),
    ("nav-events", N_("Events"), "/events", ft.Icons.EVENT),
    ("inbox", N_("Policies for you"), "/inbox", ft.Icons.MARK_EMAIL_UNREAD),
    ("nav-profile", N_("My profile"), "/profile", ft.Icons.PERSON),
    ("nav-login", N_("Sign in"), "/login", ft.Icons.LOGIN),
    ("nav-settings", N_("Settings"), "/settings", ft.Icons.SETTINGS),
)


def home_view(state: AppState, go: Navigate) -> ft.View:
    return screen_view(
        "/",
        "screen-home",
        _("Sunshine"),
        [
            sync_banner(state),
            heading(_("Quick actions"), level=2),
            wrap(
                [
                    action_button(_(label), ident, _go(go, route), icon=icon)
                    for ident, label, route, icon in QUICK_ACTIONS
                ]
            ),
            heading(_("Common services"), level=2),
            common_services(state, go),
            heading(_("District flagship services"), level=2),
            districts(state, go),
        ],
    )


def sync_banner(state: AppState) -> ft.Control:
    offline = state.sync_status is SyncStatus.OFFLINE
    return status_region(
        ft.Container(
            content=ft.Row(
                [
                    ft.Icon(
                        ft.Icons.CLOUD_OFF if offline else ft.Icons.CLOUD_DONE,
                        color=OFFLINE_FG if offline else ONLINE_FG,
                        size=STANDARD.icon,
                    ),
                    ft.Text(
                        sync_status_sentence(state.sync_status, state.catalog_empty),
                        size=STANDARD.body,
                        color=OFFLINE_FG if offline else ONLINE_FG,
                        expand=True,
                    ),
                ],
                spacing=STANDARD.gap,
            ),
            bgcolor=OFFLINE_BG if offline else ONLINE_BG,
            padding=STANDARD.padding,
            border_radius=8,
        ),
        identifier="sync-status",
    )


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
        spacing=STANDARD.gap,
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


def wrap(controls: list[ft.Control]) -> ft.Control:
    return ft.Row(controls, wrap=True, spacing=STANDARD.gap, run_spacing=STANDARD.gap)


def _go(go: Navigate, route: str):
    return lambda _e: go(route)
