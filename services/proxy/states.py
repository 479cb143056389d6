"""A consent's state, as the screens and commands ask it: only an active one can be acted under,
withdrawn or ended."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

ACTIVE = "active"


def is_active(consent: Mapping[str, Any]) -> bool:
    return consent.get("state") == ACTIVE
