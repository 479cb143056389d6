"""Events (screen-events): my sign-ups, then every coming event with its places left.

The list reads the local catalogue, so it opens with no network and signed out; places left are
as fresh as the last catalogue sync. Each event (``event-<id>``) can be signed up for
(``signup-<id>``) or, on the day, checked in to (``checkin-<id>``, on its detail screen).
"""

from __future__ import annotations

from datetime import datetime

import flet as ft

from accessibility.semantics import action_button, body_text, heading
from app.actions import Actions
from app.events.messages import event_title, signup_sentence
from app.i18n import _
from app.registry import Route
from app.state import AppState
from services.catalog import Catalog
from services.events.commands import upcoming_signups
from views.chrome import screen_view, wrap
from views.events.parts import event_card
from views.gates import status_notices

STAFF = "staff"


def events_view(
    path: str, route: Route, state: AppState, catalog: Catalog, actions: Actions
) -> ft.View:
    now = actions.now()
    controls: list[ft.Control] = status_notices(state, "events-status", actions)
    controls += my_signups(state, catalog, actions, now)
    controls.append(wrap(record_buttons(state, actions)))
    controls.append(heading(_("Coming events"), level=2))
    events = catalog.events()
    if not events:
        controls.append(body_text(_("No events are saved on this device yet.")))
    controls += [event_card(event, catalog, state, actions, now) for event in events]
    return screen_view(path, route.identifier, _(route.title), controls, actions)


def my_signups(
    state: AppState, catalog: Catalog, actions: Actions, now: datetime
) -> list[ft.Control]:
    if state.personal.me is None:
        return [body_text(_("Sign in to sign up for events and to see your sign-ups."))]
    mine = upcoming_signups(state.personal, now)
    controls: list[ft.Control] = [heading(_("My sign-ups"), level=2)]
    if not mine:
        controls.append(body_text(_("You have not signed up for any coming event.")))
    for signup in mine:
        event = catalog.event(str(signup["event_id"]))
        known = event.model_dump() if event else {**signup, "title": signup.get("event_title")}
        title = event_title(known, now)
        controls.append(
            action_button(
                _("{title}: {state}").format(title=title, state=signup_sentence(signup)),
                f"my-signup-{signup['event_id']}",
                lambda _e, i=signup["event_id"]: actions.go(f"/event/{i}"),
                expand=True,
            )
        )
    return controls


def record_buttons(state: AppState, actions: Actions) -> list[ft.Control]:
    if state.personal.me is None:
        return []
    buttons = [
        action_button(
            _("My attendance record"), "nav-attendance", lambda _e: actions.go("/events/record")
        )
    ]
    if STAFF in (state.personal.me.get("roles") or ()):
        buttons.append(
            action_button(
                _("Check people in at the door"),
                "nav-door",
                lambda _e: actions.go("/door"),
                icon=ft.Icons.HOW_TO_REG,
            )
        )
    return buttons
