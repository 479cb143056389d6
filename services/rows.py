"""Rows of a snapshot list (trips, sign-ups, consents …) found or left out by their id."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def find(items: Iterable[dict[str, Any]], item_id: Any) -> dict[str, Any] | None:
    return next((item for item in items if item["id"] == item_id), None)


def without(items: Iterable[dict[str, Any]], item_id: Any) -> list[dict[str, Any]]:
    return [item for item in items if item["id"] != item_id]
