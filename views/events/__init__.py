"""Screens of community events: the list, one event, my attendance, the door."""

from __future__ import annotations

import flet as ft

from app.i18n import N_
from views.events.attendance import attendance_view
from views.events.detail import event_view
from views.events.door import door_view
from views.events.upcoming import events_view
from views.screens import Draw, HomeEntry

SCREENS: dict[str, Draw] = {
    "screen-attendance": lambda s: attendance_view(s.path, s.route, s.state, s.actions),
    "screen-events": lambda s: events_view(s.path, s.route, s.state, s.ctx.catalog, s.actions),
    "screen-event": lambda s: event_view(
        s.path, s.route, s.params["id"], s.state, s.ctx.catalog, s.actions
    ),
    "screen-door": lambda s: door_view(s.path, s.route, s.state, s.actions),
}

HOME_ENTRIES = (HomeEntry("nav-events", N_("Events"), "/events", ft.Icons.EVENT, place=60),)
