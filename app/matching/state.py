"""What I can get: which of the matching screen's optional parts are open."""

from __future__ import annotations

from dataclasses import dataclass

import flet as ft


@ft.observable
@dataclass
class MatchingState:
    editing_facts: bool = False
    show_not_eligible: bool = False
