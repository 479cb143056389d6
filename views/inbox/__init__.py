"""The 政策找人 inbox screen."""

from __future__ import annotations

import flet as ft

from app.i18n import N_
from views.inbox.screen import inbox_view
from views.screens import Draw, HomeEntry

SCREENS: dict[str, Draw] = {
    "screen-inbox": lambda s: inbox_view(s.path, s.route, s.state, s.ctx.catalog, s.actions),
}

HOME_ENTRIES = (
    HomeEntry("inbox", N_("Policies for you"), "/inbox", ft.Icons.MARK_EMAIL_UNREAD, place=70),
)
