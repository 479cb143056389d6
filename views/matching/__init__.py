"""The matching screen: what I can get."""

from __future__ import annotations

import flet as ft

from app.i18n import N_
from views.matching.screen import matching_view
from views.screens import Draw, HomeEntry

SCREENS: dict[str, Draw] = {
    "screen-matching": lambda s: matching_view(s.path, s.route, s.state, s.ctx, s.actions),
}

HOME_ENTRIES = (
    HomeEntry("nav-matching", N_("What I can get"), "/matching", ft.Icons.FACT_CHECK, place=20),
)
