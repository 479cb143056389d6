"""What every outbox action kind is made of (see ``services.sync.actions``)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from services.api import ApiResponse

Snapshots = dict[str, Any]  # "me", "inbox", "trips", ...: the server's last answers, by name


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    json: Any = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ActionKind:
    name: str
    request: Callable[[dict[str, Any]], Request]
    overlay: Callable[[Snapshots, dict[str, Any]], None]
    settle: Callable[[sqlite3.Connection, dict[str, Any], ApiResponse], None]
