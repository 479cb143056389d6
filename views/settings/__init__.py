"""The settings screen."""

from __future__ import annotations

import flet as ft

from app.i18n import N_
from views.screens import Draw, HomeEntry
from views.settings.screen import settings_view

SCREENS: dict[str, Draw] = {
    "screen-settings": lambda s: settings_view(s.path, s.route, s.state, s.actions),
}

HOME_ENTRIES = (
    HomeEntry("nav-settings", N_("Settings"), "/settings", ft.Icons.SETTINGS, place=110),
)
