"""My trips (screen-trips): the guided trips I asked for, what state each is in and who is coming.

Each trip (``trip-<id>``) says when and where in words, its state, the volunteer's name and
phone, and the code word both phones show; it can be cancelled (``trip-cancel-<id>``, asked
twice) while nobody is on the way, and rated once completed.
"""

from __future__ import annotations

import flet as ft

from accessibility.semantics import action_button, body_text, heading
from app.account.messages import waiting_sentence
from app.actions import Actions
from app.i18n import _
from app.registry import Route
from app.state import AppState
from services.trips.commands import my_requests
from views.chrome import notice, screen_view
from views.trips.parts import ACTIVE_STATES, by_start, trip_card


def account_gate(
    path: str, route: Route, state: AppState, actions: Actions, signed_out: str
) -> ft.View | None:
    """The screen for someone signed out (``signed_out`` says why to sign in), or while their
    profile loads; None once their data is here (an expired sign-in still shows it)."""
    if not state.signed_in and state.personal.me is None:
        controls = [
            body_text(signed_out),
            action_button(_("Sign in"), "nav-login", lambda _e: actions.go("/login"), primary=True),
        ]
        return screen_view(path, route.identifier, _(route.title), controls, actions)
    if state.personal.me is None:
        controls = [body_text(_("Loading your profile…"))]
        return screen_view(path, route.identifier, _(route.title), controls, actions)
    return None


def status_notices(state: AppState, identifier: str, actions: Actions) -> list[ft.Control]:
    """Sign-in expired, actions waiting to send, and the last action's result (live regions)."""
    controls: list[ft.Control] = []
    if state.session_expired:
        controls += [
            notice(
                _("Your sign-in has expired. Please sign in again."),
                "session-expired",
                warning=True,
            ),
            action_button(_("Sign in"), "nav-login", lambda _e: actions.go("/login")),
        ]
    if state.personal.waiting:
        controls.append(
            notice(waiting_sentence(state.personal.waiting), "outbox-waiting", warning=True)
        )
    if state.form_message:
        controls.append(notice(state.form_message, identifier, warning=state.form_error))
    return controls


def trips_view(path: str, route: Route, state: AppState, actions: Actions) -> ft.View:
    gate = account_gate(
        path,
        route,
        state,
        actions,
        _("Sign in to ask for a volunteer guide and to see your trips."),
    )
    if gate is not None:
        return gate

    mine = my_requests(state.personal.trips)
    coming = by_start(t for t in mine if t.get("state") in ACTIVE_STATES)
    past = by_start((t for t in mine if t.get("state") not in ACTIVE_STATES), newest_first=True)
    controls = status_notices(state, "trips-status", actions)
    controls.append(
        action_button(
            _("Ask for a travel guide"),
            "nav-trip-new",
            lambda _e: actions.go("/trips/new"),
            icon=ft.Icons.ADD,
            primary=True,
        )
    )
    controls.append(heading(_("Coming up"), level=2))
    if not coming:
        controls.append(body_text(_("You have no trips coming up.")))
    controls += [trip_card(trip, state, actions) for trip in coming]
    if past:
        controls.append(heading(_("Earlier trips"), level=2))
        controls += [trip_card(trip, state, actions) for trip in past]
    return screen_view(path, route.identifier, _(route.title), controls, actions)
