"""Screens a later issue builds: their heading and one honest line, nothing pretend."""

from __future__ import annotations

import flet as ft

from accessibility.semantics import body_text
from app.actions import Actions
from app.i18n import _
from app.routes import Route
from views.chrome import screen_view


def pending_view(path: str, route: Route, actions: Actions) -> ft.View:
    assert route.pending is not None
    return screen_view(
        path, route.identifier, _(route.title), [body_text(_(route.pending))], actions
    )
