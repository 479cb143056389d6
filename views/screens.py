"""What the router hands a feature's screen, and the shape every screen function has.

Each ``views/<feature>/__init__.py`` maps its routes' identifiers to a ``Draw``; the router
finds them through the feature list (``app.features``), so it names no screen.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import flet as ft

from app.actions import Actions
from app.context import AppContext
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
