"""Controls several features' screens share: a question with its two answers, a row of switches,
a code typed and sent."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import flet as ft

from accessibility.semantics import Handler, action_button, text_input, toggle
from app.messages import switch_state
from views.chrome import notice, wrap


def sent_field(
    label: str,
    identifier: str,
    value: str,
    on_type: Callable[[str], None],
    send: Callable[[], None],
    button: tuple[str, str],
    *,
    icon: ft.IconData | None = None,
) -> list[ft.Control]:
    """A number field sent with Enter or with the button under it, ``button`` (label,
    identifier): a sign-in code, a consent code, a code at the door."""
    return [
        text_input(
            label,
            identifier,
            value=value,
            on_change=lambda e: on_type(e.control.value or ""),
            on_submit=lambda _e: send(),
            keyboard_type=ft.KeyboardType.NUMBER,
        ),
        action_button(button[0], button[1], lambda _e: send(), icon=icon, primary=True),
    ]


def toggles(
    options: dict[str, str], chosen: Iterable[str], prefix: str, on_toggle: Callable[[str], None]
) -> list[ft.Control]:
    """One switch per option (``<prefix>-<value>``), on when chosen."""
    chosen = set(chosen)
    return [
        toggle(
            label,
            f"{prefix}-{value}",
            value in chosen,
            lambda _on, v=value: on_toggle(v),
            state=switch_state(value in chosen),
        )
        for value, label in options.items()
    ]


def confirm_block(
    sentence: str, identifier: str, yes: str, on_yes: Handler, no: str, on_no: Handler
) -> list[ft.Control]:
    """A question and its two answers: nothing is cancelled or given back by one stray tap."""
    return [
        notice(sentence, f"{identifier}-question", warning=True),
        wrap(
            [
                action_button(yes, f"{identifier}-confirm", on_yes, primary=True),
                action_button(no, f"{identifier}-keep", on_no),
            ]
        ),
    ]
