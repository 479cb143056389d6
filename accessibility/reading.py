"""What the 朗读 (read aloud) action says: the visible text of a screen, in reading order.

Derived from the controls themselves, so a screen can never forget to tell read-aloud about
something it shows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import flet as ft

# Children in the order they are drawn and read.
CHILD_ATTRIBUTES = ("leading", "content", "title", "subtitle", "controls", "trailing")


def readable_texts(controls: Iterable[ft.Control]) -> list[str]:
    return [text for control in controls for text in _texts(control)]


def _texts(control: ft.Control) -> Iterator[str]:
    if not getattr(control, "visible", True):
        return
    if isinstance(control, ft.Semantics) and control.exclude_semantics and control.label:
        yield control.label
        return
    if isinstance(control, ft.Text):
        if control.value:
            yield str(control.value)
        return
    if isinstance(control, ft.Switch) and isinstance(control.label, str):
        yield control.label
        return
    for name in CHILD_ATTRIBUTES:
        child = getattr(control, name, None)
        if isinstance(child, ft.Control):
            yield from _texts(child)
        elif isinstance(child, list):
            for item in child:
                if isinstance(item, ft.Control):
                    yield from _texts(item)
        elif isinstance(child, str) and name in ("content", "title") and child:
            yield child
