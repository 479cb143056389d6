"""The messages screen."""

from __future__ import annotations

import flet as ft

from app.i18n import N_
from views.notifications.screen import notifications_view
from views.screens import Draw, HomeEntry

SCREENS: dict[str, Draw] = {
    "screen-notifications": lambda s: notifications_view(s.path, s.route, s.state, s.actions),
}

HOME_ENTRIES = (
    HomeEntry(
        "nav-notifications", N_("Messages"), "/notifications", ft.Icons.NOTIFICATIONS, place=80
    ),
)
