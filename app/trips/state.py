"""Trips and volunteering: the request form's district chooser and the open list's filter."""

from __future__ import annotations

from dataclasses import dataclass, field

import flet as ft

from app.trips.forms import OpenTripFilter


@ft.observable
@dataclass
class TripState:
    changing_district: bool = False
    open_filter: OpenTripFilter = field(default_factory=OpenTripFilter)
