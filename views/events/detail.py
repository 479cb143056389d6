"""One event (screen-event): when and where in words, the place's accessibility, places left,
deadlines, and my sign-up with its code, check-in, cancel or excuse, and a guide to get there."""

from __future__ import annotations

import flet as ft

from accessibility.semantics import body_text, heading
from app.actions import Actions
from app.events.messages import (
    accessibility_sentence,
    deadlines_sentence,
    event_when,
    places_sentence,
    provides_sentence,
    venue_sentence,
)
from app.i18n import _
from app.registry import Route
from app.state import AppState
from services.catalog import Catalog
from views.chrome import missing_record_view, screen_view
from views.events.parts import active_signup, my_signup_block, record, signup_button, venue_of
from views.gates import status_notices


def event_view(
    path: str, route: Route, event_id: str, state: AppState, catalog: Catalog, actions: Actions
) -> ft.View:
    event = catalog.event(event_id)
    if event is None:
        return missing_record_view(
            path,
            route.identifier,
            _(route.title),
            _("This event is not saved on this device. It may have been removed."),
            actions,
        )
    now = actions.now()
    data, venue = record(event), venue_of(event, catalog)
    controls: list[ft.Control] = status_notices(state, "event-status", actions)
    controls += [
        body_text(event_when(data, now), weight=ft.FontWeight.W_600),
        body_text(venue_sentence(data, venue)),
        body_text(accessibility_sentence(venue)),
    ]
    offered = provides_sentence(data)
    if offered:
        controls.append(body_text(offered))
    controls += [
        body_text(places_sentence(data), weight=ft.FontWeight.W_600),
        body_text(deadlines_sentence(data, now)),
    ]
    if event.summary:
        controls += [heading(_("About the event"), level=2), body_text(event.summary)]
    signup = active_signup(state, event.id)
    if signup is None:
        controls += signup_button(event, state, actions, now)
    else:
        controls += my_signup_block(event, signup, catalog, state, actions, now)
    return screen_view(path, route.identifier, event.title, controls, actions, back_to="/events")
