"""A consent's state, as the screens and commands ask it: a redeemed consent is pending until
the resident confirms it on their own device; only an active one can be acted under; a live one
(pending or active) can still be refused, withdrawn or ended."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

PENDING = "pending"
ACTIVE = "active"
LIVE = (PENDING, ACTIVE)


def is_active(consent: Mapping[str, Any]) -> bool:
    return consent.get("state") == ACTIVE


def is_pending(consent: Mapping[str, Any]) -> bool:
    return consent.get("state") == PENDING


def is_live(consent: Mapping[str, Any]) -> bool:
    return consent.get("state") in LIVE
