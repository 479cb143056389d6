"""代办: the one-time consent code the resident just made ({code, expires_at, lasts}), shown large."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import flet as ft


@ft.observable
@dataclass
class ProxyState:
    consent_code: dict[str, Any] | None = None
