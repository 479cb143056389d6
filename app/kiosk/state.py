"""Kiosk: seconds before the idle reset while its warning shows, else None."""

from __future__ import annotations

from dataclasses import dataclass

import flet as ft


@ft.observable
@dataclass
class KioskState:
    seconds_left: int | None = None
