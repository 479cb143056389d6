"""What the router hands a feature's screen, the shape every screen function has, and what a
feature puts on the home screen.

Each ``views/<feature>/__init__.py`` maps its routes' identifiers to a ``Draw`` (``SCREENS``)
and may list its ``HOME_ENTRIES``; the router and the home find them through the feature list
(``app.features``), so neither names a feature.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from typing import NamedTuple

import flet as ft

from app.actions import Actions
from app.context import AppContext
from app.features import FEATURES
from app.registry import Route
from app.state import AppState


@dataclass(frozen=True)
class Screen:
    path: str  # without the query string
    route: Route
    params: Mapping[str, str]  # the route's {placeholders}
    state: AppState
    ctx: AppContext
    actions: Actions


Draw = Callable[[Screen], ft.View]


class HomeEntry(NamedTuple):
    """A quick action on the home screen, leading to one of the feature's screens."""

    identifier: str  # the button's flt-semantics-identifier (DESIGN.md §6)
    label: str  # msgid
    route: str
    icon: ft.IconData
    place: int  # where it stands among every feature's entries, lowest first


def feature_screens() -> dict[str, Draw]:
    """Every feature's screens, by route identifier."""
    screens: dict[str, Draw] = {}
    for feature in FEATURES:
        screens.update(import_module(f"views.{feature.name}").SCREENS)
    return screens


@cache
def home_entries() -> tuple[HomeEntry, ...]:
    """Every feature's home entries, in their places (read once the views are all loaded)."""
    entries = (
        entry
        for feature in FEATURES
        for entry in getattr(import_module(f"views.{feature.name}"), "HOME_ENTRIES", ())
    )
    return tuple(sorted(entries, key=lambda entry: entry.place))
