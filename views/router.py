"""Which screens are on the view stack for the current route: home, then the route's screen.

A route's screen is found through the feature list: ``views.<feature>.SCREENS`` maps each of the
feature's route identifiers to the function that draws it.
"""

from __future__ import annotations

import flet as ft

from accessibility.semantics import action_button, body_text
from app.actions import Actions
from app.context import AppContext
from app.i18n import _
from app.routes import resolve
from app.state import AppState
from views.chrome import screen_view
from views.home.screen import home_view
from views.screens import Screen, feature_screens
from views.splash import splash_view

SCREENS = feature_screens()


def render_screens(state: AppState, ctx: AppContext, actions: Actions) -> list[ft.View]:
    if not state.ready:
        return [splash_view()]
    home = home_view(state, ctx, actions)
    path = state.route.split("?", 1)[0] or "/"
    if path == "/":
        return [home]
    route, params = resolve(path)
    draw = SCREENS.get(route.identifier)
    if draw is None:
        return [home, not_found_view(path, route.identifier, _(route.title), actions)]
    return [home, draw(Screen(path, route, params, state, ctx, actions))]


def not_found_view(path: str, identifier: str, title: str, actions: Actions) -> ft.View:
    return screen_view(
        path,
        identifier,
        title,
        [
            body_text(_("There is no page at this address.")),
            action_button(_("Go to the home page"), "nav-home", lambda _e: actions.go("/")),
        ],
        actions,
    )
