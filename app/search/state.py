"""Search: the last results shown (their query is in them; the field may hold more letters)."""

from __future__ import annotations

from dataclasses import dataclass

import flet as ft

from services.search import SearchResult


@ft.observable
@dataclass
class SearchState:
    result: SearchResult | None = None
