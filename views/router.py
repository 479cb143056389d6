"""Which screens are on the view stack for the current route: home, then the route's screen."""

from __future__ import annotations

import flet as ft

from accessibility.semantics import action_button, body_text
from app.actions import Actions
from app.context import AppContext
from app.i18n import _
from app.routes import resolve
from app.state import AppState
from views.account.login import login_view
from views.account.profile import profile_view
from views.catalog.district import district_view
from views.catalog.institution import institution_view
from views.catalog.policy import policy_view
from views.catalog.service import service_view
from views.chrome import screen_view
from views.events.attendance import attendance_view
from views.events.detail import event_view
from views.events.door import door_view
from views.events.upcoming import events_view
from views.home.customise import customise_view
from views.home.screen import home_view
from views.inbox.screen import inbox_view
from views.matching.screen import matching_view
from views.notifications.screen import notifications_view
from views.pending import pending_view
from views.proxy.act_for import act_for_view
from views.proxy.consent import consent_view
from views.search.screen import search_view
from views.settings.screen import settings_view
from views.splash import splash_view
from views.trips.mine import trips_view
from views.trips.new import trip_new_view
from views.trips.volunteer import volunteer_view


def render_screens(state: AppState, ctx: AppContext, actions: Actions) -> list[ft.View]:
    if not state.ready:
        return [splash_view()]
    home = home_view(state, ctx, actions)
    path = state.route.split("?", 1)[0] or "/"
    if path == "/":
        return [home]
    route, params = resolve(path)
    if route.identifier == "screen-matching":
        screen = matching_view(path, route, state, ctx, actions)
    elif route.identifier == "screen-search":
        screen = search_view(path, route, state, actions)
    elif route.identifier == "screen-service":
        screen = service_view(
            path,
            route,
            params["id"],
            ctx.catalog,
            actions,
            pinned=state.preferences.home.is_pinned(params["id"]),
        )
    elif route.identifier == "screen-policy":
        screen = policy_view(path, route, params["id"], ctx.catalog, actions)
    elif route.identifier == "screen-institution":
        screen = institution_view(path, route, params["id"], ctx.catalog, actions)
    elif route.identifier == "screen-inbox":
        screen = inbox_view(path, route, state, ctx.catalog, actions)
    elif route.identifier == "screen-district":
        screen = district_view(path, route, params["code"], ctx.catalog, actions)
    elif route.identifier == "screen-consent":
        screen = consent_view(path, route, state, actions)
    elif route.identifier == "screen-act-for":
        screen = act_for_view(path, route, state, actions)
    elif route.identifier == "screen-customise":
        screen = customise_view(path, route, state, ctx.catalog, actions)
    elif route.identifier == "screen-trip-new":
        screen = trip_new_view(path, route, state, actions)
    elif route.identifier == "screen-trips":
        screen = trips_view(path, route, state, actions)
    elif route.identifier == "screen-volunteer":
        screen = volunteer_view(path, route, state, actions)
    elif route.identifier == "screen-notifications":
        screen = notifications_view(path, route, state, actions)
    elif route.identifier == "screen-events":
        screen = events_view(path, route, state, ctx.catalog, actions)
    elif route.identifier == "screen-event":
        screen = event_view(path, route, params["id"], state, ctx.catalog, actions)
    elif route.identifier == "screen-attendance":
        screen = attendance_view(path, route, state, actions)
    elif route.identifier == "screen-door":
        screen = door_view(path, route, state, actions)
    elif route.identifier == "screen-settings":
        screen = settings_view(path, route, state, actions)
    elif route.identifier == "screen-login":
        screen = login_view(path, route, state, ctx, actions)
    elif route.identifier == "screen-profile":
        screen = profile_view(path, route, state, actions)
    elif route.pending is not None:
        screen = pending_view(path, route, actions)
    else:
        screen = screen_view(
            path,
            route.identifier,
            _(route.title),
            [
                body_text(_("There is no page at this address.")),
                action_button(_("Go to the home page"), "nav-home", lambda _e: actions.go("/")),
            ],
            actions,
        )
    return [home, screen]
