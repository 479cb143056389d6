"""The search screen."""

from __future__ import annotations

from views.screens import Draw
from views.search.screen import search_view

SCREENS: dict[str, Draw] = {
    "screen-search": lambda s: search_view(s.path, s.route, s.state, s.actions),
}
