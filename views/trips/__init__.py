"""Screens of 助盲出行: my trips, asking for a guide, the volunteers' list."""

from __future__ import annotations

import flet as ft

from app.i18n import N_
from views.screens import Draw, HomeEntry
from views.trips.mine import trips_view
from views.trips.new import trip_new_view
from views.trips.volunteer import volunteer_view

SCREENS: dict[str, Draw] = {
    "screen-trip-new": lambda s: trip_new_view(s.path, s.route, s.state, s.actions),
    "screen-trips": lambda s: trips_view(s.path, s.route, s.state, s.actions),
    "screen-volunteer": lambda s: volunteer_view(s.path, s.route, s.state, s.actions),
}

HOME_ENTRIES = (
    HomeEntry(
        "nav-trip-new",
        N_("Ask for a travel guide"),
        "/trips/new",
        ft.Icons.ACCESSIBILITY_NEW,
        place=30,
    ),
    HomeEntry("nav-trips", N_("My trips"), "/trips", ft.Icons.DIRECTIONS_WALK, place=40),
    HomeEntry(
        "nav-volunteer", N_("Volunteers"), "/volunteer", ft.Icons.VOLUNTEER_ACTIVISM, place=50
    ),
)
