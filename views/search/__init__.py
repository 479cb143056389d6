"""The search screen."""

from __future__ import annotations

import flet as ft

from app.i18n import N_
from views.screens import Draw, HomeEntry
from views.search.screen import search_view

SCREENS: dict[str, Draw] = {
    "screen-search": lambda s: search_view(s.path, s.route, s.state, s.actions),
}

HOME_ENTRIES = (
    HomeEntry("nav-search", N_("Search services"), "/search", ft.Icons.SEARCH, place=10),
)
