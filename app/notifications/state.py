"""Messages: the newest one already announced (newer ones are said when they arrive)."""

from __future__ import annotations

from dataclasses import dataclass

import flet as ft


@ft.observable
@dataclass
class NotificationState:
    seen: int | None = None
