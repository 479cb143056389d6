"""Reading a built Flet control tree the way the tests need: identifiers, texts, one node."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import flet as ft

from services.clock import utc_now


def walk(control: object) -> Iterator[object]:
    """Every node under ``control``, in reading order (depth first)."""
    yield control
    for name in ("content", "controls"):
        child = getattr(control, name, None)
        for each in child if isinstance(child, list) else [child]:
            if each is not None:
                yield from walk(each)


def identifiers(control: object) -> set[str]:
    """Every Semantics identifier in a built control tree."""
    return {n.identifier for n in walk(control) if isinstance(n, ft.Semantics) and n.identifier}


def texts(control: object) -> str:
    """Every text in the tree, in reading order."""
    return "\n".join(
        n.value for n in walk(control) if isinstance(n, ft.Text) and isinstance(n.value, str)
    )


def find(control: object, identifier: str) -> ft.Semantics:
    """The Semantics node with this identifier (AssertionError if there is none)."""
    for node in walk(control):
        if isinstance(node, ft.Semantics) and node.identifier == identifier:
            return node
    raise AssertionError(f"no control {identifier!r} in the tree")


def screen_actions(**parts: Any) -> SimpleNamespace:
    """What a screen is built with (app.actions.Actions), for building screens in tests: no
    navigation, no voice, no kiosk or acting, the real clock; ``parts`` adds or replaces."""
    return SimpleNamespace(
        **{
            "go": lambda _route: None,
            "read_aloud": lambda _texts: None,
            "announce": lambda _sentence: None,
            "kiosk": None,
            "proxy": None,
            "now": utc_now,
            **parts,
        }
    )
