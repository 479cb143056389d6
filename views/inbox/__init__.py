"""The 政策找人 inbox screen."""

from __future__ import annotations

from views.inbox.screen import inbox_view
from views.screens import Draw

SCREENS: dict[str, Draw] = {
    "screen-inbox": lambda s: inbox_view(s.path, s.route, s.state, s.ctx.catalog, s.actions),
}
