"""The door (staff): which of today's events is being checked in, and the name searched for."""

from __future__ import annotations

from dataclasses import dataclass

import flet as ft


@ft.observable
@dataclass
class EventState:
    door_event: str | None = None
    door_query: str = ""
