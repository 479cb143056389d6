"""My trips (screen-trips): the guided trips I asked for, what state each is in and who is coming.

Each trip (``trip-<id>``) says when and where in words, its state, the volunteer's name and
phone, and the code word both phones show; it can be cancelled (``trip-cancel-<id>``, asked
twice) while nobody is on the way, and rated once completed.
"""

from __future__ import annotations

import flet as ft

from accessibility.semantics import action_button, body_text, heading
from app.actions import Actions
from app.i18n import _
from app.registry import Route
from app.state import AppState
from services.trips.commands import my_requests
from services.trips.states import is_active
from views.chrome import screen_view
from views.gates import account_gate, status_notices
from views.trips.parts import by_start, trip_card


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
    coming = by_start(t for t in mine if is_active(t))
    past = by_start((t for t in mine if not is_active(t)), newest_first=True)
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
