"""The matching screen: what I can get."""

from __future__ import annotations

from views.matching.screen import matching_view
from views.screens import Draw

SCREENS: dict[str, Draw] = {
    "screen-matching": lambda s: matching_view(s.path, s.route, s.state, s.ctx, s.actions),
}
