"""Helpers that make the accessible control the easy one to write.

Every screen root carries ``Semantics(identifier="screen-<name>")`` and exactly one h1; every
action is a real button (reachable by Tab, activated by Enter or Space) whose visible label is
also its spoken name, wrapped in ``Semantics(identifier=...)`` as the stable test hook
(DESIGN.md §6). Sizes and colours come from the current look, never from the caller.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from accessibility.theme import current_look

Handler = Callable[[Any], Any]


@ft.control("Semantics")
class FocusedSemantics(ft.Semantics):
    """``Semantics`` with Flutter's ``focused`` flag. Flet 1.0.5 names it ``focus`` in Python
    while its Flutter side reads ``focused``, so ``Semantics(focus=True)`` never arrives."""

    focused: bool | None = None


def heading(text: str, level: int = 1, *, focused: bool = False) -> ft.Control:
    """A heading; ``focused``: it takes keyboard and screen-reader focus (a screen's h1 when the
    screen opens, so a screen reader says where the person now is instead of focus falling to
    the page when the button that opened it goes away)."""
    scale = current_look().scale
    size = scale.heading if level == 1 else scale.title
    content = ft.Text(text, size=size, weight=ft.FontWeight.W_600)
    if focused:
        return FocusedSemantics(
            header=True, heading_level=level, focusable=True, focused=True, content=content
        )
    return ft.Semantics(header=True, heading_level=level, content=content)


def body_text(text: str, **kwargs: Any) -> ft.Text:
    return ft.Text(text, size=current_look().scale.body, **kwargs)


def _button_style() -> ft.ButtonStyle:
    look = current_look()
    return ft.ButtonStyle(
        padding=ft.Padding.symmetric(
            horizontal=look.scale.padding, vertical=look.scale.button_padding
        ),
        shape=ft.RoundedRectangleBorder(radius=look.scale.radius),
        side=ft.BorderSide(look.palette.border_width, look.palette.outline),
    )


def action_button(
    label: str,
    identifier: str,
    on_click: Handler,
    *,
    icon: ft.IconData | None = None,
    primary: bool = False,
    expand: bool | None = None,  # never False: Flet wraps even expand=False in Expanded
    selected: bool | None = None,
) -> ft.Control:
    """A labelled button at least the look's target high; the label is its accessible name.

    ``selected``: the button is one of a single choice (``choice_group``); True for the chosen
    one, so a screen reader says it is the current choice, not only the colour.
    """
    scale = current_look().scale
    content = ft.Text(label, size=scale.body, text_align=ft.TextAlign.CENTER)
    style = _button_style()
    if selected is None:
        button_type = ft.FilledButton if primary else ft.OutlinedButton
    else:
        # A choice is the same kind of button chosen or not, filled by its style: a button
        # that changed kind would be a new widget, and the keyboard focus on it would be lost
        # the moment it is chosen (Orca then reads some other button).
        button_type = ft.OutlinedButton
        if primary:
            palette = current_look().palette
            style.bgcolor = palette.primary
            style.color = palette.on_primary
    button = button_type(
        content=content,
        # Decorative: the label already names the button.
        icon=ft.Icon(icon, size=scale.icon) if icon else None,
        on_click=on_click,
        style=style,
        expand=expand,
    )
    if selected is None:
        return ft.Semantics(identifier=identifier, content=button, expand=expand)
    # One node: the flag on the button itself (aria-current), not on a wrapper no screen
    # reader stops at. Keyed by its identifier: Flutter does not update a merged node's
    # identifier when Flet patches the control in place (a list that reorders, such as
    # answered inbox items, would give one item's buttons another's identifiers).
    return ft.MergeSemantics(
        key=identifier,
        content=ft.Semantics(
            identifier=identifier, selected=selected, content=button, expand=expand
        ),
    )


CHOICES = "choices-"  # a choice group's identifier: choices-<prefix>
OPTIONAL_CHOICES = "choices-optional-"  # ...or this, for a group that may have nothing chosen


def choice_group(
    options: list[tuple[str, str]],
    chosen: str | None,
    prefix: str,
    on_choose: Callable[[str], None],
    *,
    mark_chosen: Callable[[str], str],
    required: bool = True,
    identifier: str | None = None,
    label: str | None = None,
) -> ft.Control:
    """A single choice as buttons (``<prefix>-<value>``) flowing onto more lines as needed.

    The chosen one is filled and, for a screen reader, the current choice (``aria-current``),
    so which is chosen is said, not only shown in colour; its label is ``mark_chosen(label)``
    ("明天，已选"), since Orca 43 says nothing for aria-current. The group is one container,
    ``choices-<prefix>`` (or ``identifier``); ``required=False`` marks a group that may have no
    choice yet (a question not answered), ``choices-optional-<prefix>``.
    """
    gap = current_look().scale.gap
    buttons = [
        action_button(
            mark_chosen(text) if value == chosen else text,
            f"{prefix}-{value}",
            lambda _e, v=value: on_choose(v),
            primary=value == chosen,
            selected=value == chosen,
        )
        for value, text in options
    ]
    return ft.Semantics(
        identifier=identifier or (CHOICES if required else OPTIONAL_CHOICES) + prefix,
        container=True,
        label=label,
        content=ft.Row(buttons, wrap=True, spacing=gap, run_spacing=gap),
    )


def icon_button(label: str, identifier: str, icon: ft.IconData, on_click: Handler) -> ft.Control:
    """An icon-only button; Flet names it from ``Icon(semantics_label=...)``, not the tooltip."""
    scale = current_look().scale
    button = ft.IconButton(
        icon=ft.Icon(icon, size=scale.icon, semantics_label=label),
        on_click=on_click,
        tooltip=label,
        style=ft.ButtonStyle(
            padding=ft.Padding.all(max(0, (scale.target - scale.icon) / 2)),
        ),
    )
    return ft.Semantics(identifier=identifier, content=button)


SWITCH_SIZE = (60, 48)  # a Material switch with its tap area, in logical px, at 100 %
BODY_AT_100 = 16


def toggle(
    label: str,
    identifier: str,
    value: bool,
    on_change: Callable[[bool], None],
    *,
    state: str,
) -> ft.Control:
    """A switch and its label: one node for a screen reader (the label is its name), a tap on
    either turns it over, and ``on_change`` gets the new value.

    ``state`` is the switch's position in words ("已打开"), shown under the label and so part
    of the spoken name: Orca in Chromium never says the on/off of a Flutter switch (Flutter's
    nodes are custom elements, whose aria-checked it ignores, and a switch's semantic value
    is not put in the page; heard through Orca). Words also beat the switch's drawing alone.

    Built here rather than with ``Switch(label=...)``, whose label sits in a row that cannot
    wrap, so long labels at large text end in "…". The label wraps onto more lines; the switch
    grows with the text (at 200 % it is not a speck beside its label); the row is at least a
    target tall.
    """
    scale = current_look().scale
    gap = scale.gap
    grow = min(2.0, max(1.0, scale.body / BODY_AT_100))
    width, height = SWITCH_SIZE[0] * grow, SWITCH_SIZE[1] * grow
    switch = ft.Container(
        content=ft.Switch(value=value, on_change=lambda e: on_change(bool(e.control.value))),
        width=width,
        height=height,
        scale=grow,  # drawn larger in the box made for it, so nothing overlaps
        alignment=ft.Alignment.CENTER,
    )
    words = ft.GestureDetector(
        content=ft.Column(
            [
                ft.Text(label, size=scale.body),
                ft.Text(state, size=scale.body, weight=ft.FontWeight.W_600),
            ],
            spacing=0,
        ),
        on_tap=lambda _e: on_change(not value),
        expand=True,
    )
    row = ft.Row([switch, words], spacing=gap, vertical_alignment=ft.CrossAxisAlignment.CENTER)
    pad = max(0.0, (scale.target - height) / 2)
    return ft.Semantics(
        identifier=identifier,
        content=ft.MergeSemantics(
            content=ft.Container(content=row, padding=ft.Padding.symmetric(vertical=pad))
        ),
    )


def text_input(
    label: str,
    identifier: str,
    *,
    value: str = "",
    hint: str | None = None,
    on_change: Handler | None = None,
    on_submit: Handler | None = None,
    on_blur: Handler | None = None,
    keyboard_type: ft.KeyboardType | None = None,
    max_length: int | None = None,
    multiline: bool = False,
    on_length: Callable[[int], None] | None = None,
    helper: str | None = None,
) -> ft.Control:
    """A text field whose visible label is its accessible name; errors go in ``error``.

    ``multiline``: long text wraps onto more lines as it grows instead of scrolling sideways
    out of sight. ``max_length``: the field takes no more than this; ``helper`` (under it) can
    say so, and ``on_length`` gets the characters left after each change (the caller decides
    what to say).
    """
    scale = current_look().scale
    changed = on_change
    if on_length is not None and max_length is not None:

        def changed(e: Any) -> None:
            on_length(max_length - len(e.control.value or ""))
            if on_change is not None:
                on_change(e)

    field = ft.TextField(
        value=value,
        hint_text=hint,
        hint_max_lines=HINT_LINES,  # an example in the box wraps too, instead of "…"
        on_change=changed,
        on_submit=on_submit,
        on_blur=on_blur,
        keyboard_type=ft.KeyboardType.MULTILINE if multiline else keyboard_type,
        multiline=multiline,
        min_lines=2 if multiline else None,
        max_lines=None if multiline else 1,
        max_length=max_length,
        # No Flutter counter: it is a live region that says "N characters remaining" (in
        # English) on every keystroke; ``on_length`` lets the caller speak near the limit.
        counter="" if max_length is not None else None,
        helper=helper,
        helper_style=ft.TextStyle(size=scale.body),
        text_size=scale.body,
        content_padding=ft.Padding.symmetric(
            horizontal=scale.padding, vertical=scale.button_padding
        ),
        expand=True,  # in its row: the whole width (a TextField alone is drawn 300 px wide)
    )
    # The label above the box, wrapping as long as it needs: Flutter draws a field's own label
    # on one line, so at large text "从哪里出发？" ends in "…" and runs into the heading above.
    # Merged with the field, it stays the field's name (then the hint) for a screen reader.
    caption = ft.Text(label, size=scale.body)
    return ft.Semantics(
        identifier=identifier,
        content=ft.MergeSemantics(
            content=ft.Column([caption, ft.Row([field])], spacing=scale.gap / 2)
        ),
    )


HINT_LINES = 4


def status_region(
    control: ft.Control, identifier: str | None = None, *, focus_key: str | None = None
) -> ft.Control:
    """A status on screen, one container for a screen reader. Never a live region: Orca in
    Chromium does not read a Flutter live region's new text (heard through Orca), so whoever
    changes a status announces it, once.

    ``focus_key``: the status takes the screen reader's focus when it appears (as a screen's
    h1 does), and again whenever the key changes; the same key keeps the node, and the focus,
    as it is. Only the semantics flag moves it: Flutter's own focus stays where its focus
    history puts it (asking a KeyboardListener for the focus raced the control's arrival on
    the client and lost later announcements, see the acting test)."""
    if focus_key is None:
        return ft.Semantics(identifier=identifier, container=True, content=control)
    return FocusedSemantics(
        identifier=identifier,
        container=True,
        focusable=True,
        focused=True,
        content=control,
        key=focus_key,
    )


def screen(
    identifier: str,
    title: str,
    controls: list[ft.Control],
    *,
    leading: list[ft.Control] | None = None,
    on_top: bool = True,
) -> ft.Control:
    """The root of every screen: its test hook, its single h1, then its content, scrollable.

    ``leading`` (back, read aloud) comes before the heading, in reading and Tab order. The h1 of
    the screen ``on_top`` takes focus when it appears (home stays below other screens, so it
    takes focus again when it is on top again): the screen reader's focus through the
    semantics flag, the keyboard's through a focus node around it, so Tab goes on from the
    screen's name instead of starting again at 返回 (two presses on every screen, through Orca).
    """
    scale = current_look().scale
    return ft.Semantics(
        identifier=identifier,
        container=True,
        content=ft.Column(
            [
                *(leading or []),
                # include_semantics=False: with it, the focus node's semantics replace the
                # heading's, and Orca no longer says "标题 水平 1".
                ft.KeyboardListener(
                    heading(title, 1, focused=on_top), autofocus=on_top, include_semantics=False
                ),
                *controls,
            ],
            spacing=scale.gap,
            scroll=ft.ScrollMode.AUTO,
            expand=True,
        ),
        expand=True,
    )
