"""The home screen's own screens (the home itself is always at the bottom of the stack)."""

from __future__ import annotations

from views.home.customise import customise_view
from views.screens import Draw

SCREENS: dict[str, Draw] = {
    "screen-customise": lambda s: customise_view(
        s.path, s.route, s.state, s.ctx.catalog, s.actions
    ),
}
