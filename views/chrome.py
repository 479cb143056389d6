"""What every screen shares: the page frame and the back action."""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from accessibility.semantics import action_button, body_text, screen
from accessibility.theme import STANDARD
from app.i18n import _

Navigate = Callable[[str], None]


def screen_view(
    route: str,
    identifier: str,
    title: str,
    controls: list[ft.Control],
    *,
    go: Navigate | None = None,
    back_to: str = "/",
) -> ft.View:
    """A routed screen. Given ``go``, it starts with a labelled back button (Escape also works)."""
    leading: list[ft.Control] = []
    if go is not None:
        back = action_button(
            _("Back"), "nav-back", lambda _e: go(back_to), icon=ft.Icons.ARROW_BACK
        )
        leading.append(ft.Row([back]))
    return ft.View(
        route=route,
        padding=STANDARD.padding,
        controls=[screen(identifier, title, controls, leading=leading)],
    )


def missing_record_view(
    path: str, identifier: str, title: str, sentence: str, go: Navigate
) -> ft.View:
    """A detail screen whose record is not in the local store (yet): say so, offer the way back."""
    return screen_view(path, identifier, title, [body_text(sentence)], go=go)
