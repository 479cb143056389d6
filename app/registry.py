"""What a feature registers, once, in ``app.features.FEATURES``: its routes, its outbox kinds,
and the sentences the shell says for it (an action the server refused, a message that arrived).

The router, the shell, the outbox and the notification announcer loop over the list; none of
them names a feature.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from services.sync.kinds import ActionKind
from services.sync.outbox import Rejection

Refusal = Callable[[Rejection], "str | None"]  # None: not this feature's action
Notification = Callable[[Mapping[str, Any], datetime], "str | None"]  # None: not its message


@dataclass(frozen=True)
class Route:
    pattern: str
    identifier: str  # the screen's flt-semantics-identifier (DESIGN.md §6)
    title: str  # msgid; a screen may replace it with a record's name

    def match(self, path: str) -> dict[str, str] | None:
        regex = "^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", self.pattern) + "$"
        found = re.match(regex, path)
        return None if found is None else found.groupdict()


@dataclass(frozen=True)
class Feature:
    name: str  # its package in app/ and views/ (and services/, where it has client rules)
    routes: tuple[Route, ...] = ()  # each drawn by views.<name>.SCREENS[route.identifier]
    kinds: tuple[ActionKind, ...] = ()  # the outbox kinds its actions queue
    refusal: Refusal | None = None
    notification: Notification | None = None
