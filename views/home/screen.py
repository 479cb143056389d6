"""Home (screen-home): the banners, then the sections the person chose, in their order.

Sections (services/home_layout.py): pinned services, quick actions, the profile card, the
services this person opens most (kept locally), common services, my service records, visits
and follow-ups, and the 16 district flagship entries. ``/home/customise`` pins, moves and
hides them with buttons a screen reader can use.
"""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from accessibility.semantics import action_button, body_text, heading
from app.account.messages import mask_phone, waiting_sentence
from app.actions import Actions, Navigate
from app.context import AppContext
from app.home.messages import section_title
from app.i18n import _
from app.inbox.messages import inbox_action_label, unread_count, unread_sentence
from app.messages import sync_status_sentence
from app.notifications.messages import messages_action_label, unread_messages_sentence
from app.state import AppState, SyncStatus
from services.catalog import ServiceItem
from services.trips.commands import unread_notifications
from views.account.profile import record_sentences, visit_sentences
from views.catalog.parts import link_buttons
from views.chrome import card, notice, screen_view, wrap
from views.screens import HomeEntry, home_entries

SUMMARY_LINES = 3  # records and visits on the home: the newest few, then "see all"


def home_view(state: AppState, ctx: AppContext, actions: Actions) -> ft.View:
    """The banners, then each section the person shows, in their order (DESIGN.md §1)."""
    layout = state.preferences.home
    builders: dict[str, Callable[[], list[ft.Control]]] = {
        "pinned": lambda: pinned_section(ctx.catalog.services_for(layout.pinned), actions),
        "quick": lambda: quick_section(state, actions),
        "profile": lambda: profile_section(state, actions),
        "frequent": lambda: frequent_section(
            ctx.catalog.services_for(ctx.usage.frequent(ctx.personal.account.principal())), actions
        ),
        "common": lambda: [
            heading(section_title("common"), level=2),
            service_buttons(state.common_services, "service", actions)
            if state.common_services
            else body_text(_("No services are saved on this device yet.")),
        ],
        "records": lambda: summary_section(
            "records",
            state,
            record_sentences(state.personal),
            _("No service records yet."),
            actions,
        ),
        "visits": lambda: summary_section(
            "visits", state, visit_sentences(state.personal), _("No visit records yet."), actions
        ),
        "districts": lambda: [
            heading(section_title("districts"), level=2),
            districts(state, actions.go),
        ],
    }
    sections = [control for section in layout.visible() for control in builders[section]()]
    return screen_view(
        "/",
        "screen-home",
        _("Sunshine"),
        [
            sync_banner(state),
            *filter(None, [waiting_banner(state), inbox_banner(state), messages_banner(state)]),
            *sections,
            action_button(
                _("Customise the home screen"),
                "home-customise",
                _go(actions.go, "/home/customise"),
                icon=ft.Icons.TUNE,
            ),
        ],
        actions,
        back_to=None,
        on_top=(state.route.split("?", 1)[0] or "/") == "/",
    )


def pinned_section(services: list[ServiceItem], actions: Actions) -> list[ft.Control]:
    """Services the person pinned; nothing at all until they pin one (no empty heading)."""
    if not services:
        return []
    return [
        heading(section_title("pinned"), level=2),
        service_buttons(services, "pinned", actions),
    ]


def quick_section(state: AppState, actions: Actions) -> list[ft.Control]:
    return [
        heading(section_title("quick"), level=2),
        wrap(
            [
                action_button(
                    quick_label(state, entry.identifier, entry.label),
                    entry.identifier,
                    _go(actions.go, entry.route),
                    icon=entry.icon,
                )
                for entry in quick_actions(state.signed_in)
            ]
        ),
    ]


def quick_actions(signed_in: bool) -> list[HomeEntry]:
    """Every feature's home entries. Signed out, 登录 comes first: it is what everything
    personal waits for, and a keyboard or screen-reader user reaches it with the first Tab,
    instead of the eleventh."""
    entries = home_entries()
    if signed_in:
        return [entry for entry in entries if entry.identifier != "nav-login"]
    return sorted(entries, key=lambda entry: entry.identifier != "nav-login")


def profile_section(state: AppState, actions: Actions) -> list[ft.Control]:
    """Who is signed in, in a card; or the way to sign in."""
    me = state.personal.me
    title = heading(section_title("profile"), level=2)
    if me is None or not state.signed_in:
        return [
            title,
            card(
                "home-profile",
                [
                    body_text(_("Sign in to see your records, visits and services here.")),
                    action_button(_("Sign in"), "home-sign-in", _go(actions.go, "/login")),
                ],
            ),
        ]
    code = (me.get("facts") or {}).get("district")
    district = next((d for d in state.districts if d.code == code), None)
    parts: list[ft.Control] = [
        body_text(line) for line in (me.get("name"), mask_phone(me.get("phone") or "")) if line
    ]
    if district is not None:
        parts.append(
            action_button(
                _("My district: {name}").format(name=district.name),
                "home-my-district",
                _go(actions.go, f"/district/{district.code}"),
            )
        )
    parts.append(
        action_button(_("Open my profile"), "home-profile-open", _go(actions.go, "/profile"))
    )
    return [title, card("home-profile", parts)]


def frequent_section(services: list[ServiceItem], actions: Actions) -> list[ft.Control]:
    return [
        heading(section_title("frequent"), level=2),
        service_buttons(services, "frequent", actions)
        if services
        else body_text(_("The services you open most often will appear here.")),
    ]


def summary_section(
    section: str, state: AppState, sentences: list[str], empty: str, actions: Actions
) -> list[ft.Control]:
    """The newest few records, and the way to all of them on the profile."""
    title = heading(section_title(section), level=2)
    if not state.signed_in:
        return [title, body_text(_("Sign in to see them."))]
    shown = [body_text(s) for s in sentences[:SUMMARY_LINES]] or [body_text(empty)]
    more = (
        [action_button(_("See all"), f"home-{section}-all", _go(actions.go, "/profile"))]
        if len(sentences) > SUMMARY_LINES
        else []
    )
    return [title, *shown, *more]


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


def service_buttons(services: list[ServiceItem], prefix: str, actions: Actions) -> ft.Control:
    """One full-width button per service; ``prefix`` keeps identifiers unique on the screen
    when the same service is pinned, frequent and common at once."""
    return link_buttons(
        ((s.name, f"{prefix}-{s.id}", f"/service/{s.id}") for s in services), actions
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
