"""The messages screen."""

from __future__ import annotations

from views.notifications.screen import notifications_view
from views.screens import Draw

SCREENS: dict[str, Draw] = {
    "screen-notifications": lambda s: notifications_view(s.path, s.route, s.state, s.actions),
}
