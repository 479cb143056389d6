"""A field for text that can be long (places, notes, addresses, appeals): it wraps as it grows,
takes no more than the server accepts, and says how much room is left as the limit nears."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from accessibility.semantics import text_input
from app.actions import Actions
from app.field_words import limit_sentence, room_left_sentence, room_told


def long_text_input(
    label: str,
    identifier: str,
    field: str,
    limit: int,
    actions: Actions,
    *,
    value: str = "",
    hint: str | None = None,
    on_change: Callable[[Any], None] | None = None,
) -> ft.Control:
    """``field`` names it in what is said (``app.field_words``); ``limit`` is the server's."""
    room = {"left": limit - len(value)}

    def on_length(left: int) -> None:
        crossed = room_told(room["left"], left)
        room["left"] = left
        if crossed is not None:
            actions.announce(room_left_sentence(field, left, limit))

    return text_input(
        label,
        identifier,
        value=value,
        hint=hint,
        on_change=on_change,
        max_length=limit,
        multiline=True,
        on_length=on_length,
        helper=limit_sentence(limit),
    )
