"""The settings screen."""

from __future__ import annotations

from views.screens import Draw
from views.settings.screen import settings_view

SCREENS: dict[str, Draw] = {
    "screen-settings": lambda s: settings_view(s.path, s.route, s.state, s.actions),
}
