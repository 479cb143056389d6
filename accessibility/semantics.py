"""Helpers that make the accessible control the easy one to write.

Every screen root carries ``Semantics(identifier="screen-<name>")`` and exactly one h1; every
action is a real button (reachable by Tab) with a visible label that is also its spoken name,
wrapped in ``Semantics(identifier=...)`` as the stable test hook (DESIGN.md §6).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from accessibility.theme import STANDARD, Scale

Handler = Callable[[Any], Any]


def heading(text: str, level: int = 1, scale: Scale = STANDARD) -> ft.Control:
    size = scale.heading if level == 1 else scale.title
    return ft.Semantics(
        header=True,
        heading_level=level,
        content=ft.Text(text, size=size, weight=ft.FontWeight.W_600),
    )


def body_text(text: str, scale: Scale = STANDARD, **kwargs: Any) -> ft.Text:
    return ft.Text(text, size=scale.body, **kwargs)


def action_button(
    label: str,
    identifier: str,
    on_click: Handler,
    *,
    icon: ft.IconData | None = None,
    primary: bool = False,
    expand: bool | None = None,  # never False: Flet wraps even expand=False in Expanded
    scale: Scale = STANDARD,
) -> ft.Control:
    """A labelled button at least ``scale.target`` high; the label is its accessible name."""
    style = ft.ButtonStyle(
        padding=ft.Padding.symmetric(horizontal=scale.padding, vertical=scale.gap),
        shape=ft.RoundedRectangleBorder(radius=8),
    )
    content = ft.Text(label, size=scale.body, text_align=ft.TextAlign.CENTER)
    button_type = ft.FilledButton if primary else ft.OutlinedButton
    button = button_type(
        content=content,
        icon=ft.Icon(icon, size=scale.icon) if icon is not None else None,
        on_click=on_click,
        style=style,
        expand=expand,
    )
    return ft.Semantics(identifier=identifier, content=button, expand=expand)


def status_region(control: ft.Control, identifier: str | None = None) -> ft.Control:
    """A live region: screen readers speak its new text when it changes."""
    return ft.Semantics(live_region=True, identifier=identifier, container=True, content=control)


def screen(
    identifier: str,
    title: str,
    controls: list[ft.Control],
    *,
    leading: list[ft.Control] | None = None,
    scale: Scale = STANDARD,
) -> ft.Control:
    """The root of every screen: its test hook, its single h1, then its content, scrollable.

    ``leading`` (a back button) comes before the heading, in reading and Tab order.
    """
    return ft.Semantics(
        identifier=identifier,
        container=True,
        content=ft.Column(
            [*(leading or []), heading(title, 1, scale), *controls],
            spacing=scale.gap,
            scroll=ft.ScrollMode.AUTO,
            expand=True,
        ),
        expand=True,
    )
