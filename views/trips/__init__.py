"""Screens of 助盲出行: my trips, asking for a guide, the volunteers' list."""

from __future__ import annotations

from views.screens import Draw
from views.trips.mine import trips_view
from views.trips.new import trip_new_view
from views.trips.volunteer import volunteer_view

SCREENS: dict[str, Draw] = {
    "screen-trip-new": lambda s: trip_new_view(s.path, s.route, s.state, s.actions),
    "screen-trips": lambda s: trips_view(s.path, s.route, s.state, s.actions),
    "screen-volunteer": lambda s: volunteer_view(s.path, s.route, s.state, s.actions),
}
