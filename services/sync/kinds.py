"""The kinds of action the outbox carries: how each is sent, shown early, and settled.

Each kind is three small functions over plain data:

* ``request``: the HTTP request for a payload (the sender adds token and Idempotency-Key);
* ``overlay``: apply the payload to a copy of the server's last answer, so the person sees the
  action at once, before it is sent ("optimistic");
* ``settle``: store the server's answer as the new snapshot, in the transaction that marks the
  action done.

Each feature keeps its kinds in ``services/<feature>/kinds.py``; the app's feature list
(``app.features.OUTBOX_KINDS``) hands all of them to the outbox's readers.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Mapping
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


OutboxKinds = Mapping[str, ActionKind]


def kinds_by_name(kinds: Iterable[ActionKind]) -> dict[str, ActionKind]:
    """One entry per name; a name used twice is a programming error, caught at start."""
    found: dict[str, ActionKind] = {}
    for kind in kinds:
        if kind.name in found:
            raise ValueError(f"outbox kind {kind.name!r} is registered twice")
        found[kind.name] = kind
    return found
