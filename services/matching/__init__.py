"""Eligibility matching (可享受服务匹配): which services a person qualifies for, and why.

No flet, no app imports. The parts:

* :mod:`services.matching.facts`: :class:`Facts` (all optional = unknown), ``FACT_NAMES``;
* :mod:`services.matching.rules`: rule data (catalogue kind ``rule``) → a typed tree;
* :mod:`services.matching.engine`: three-valued evaluation, :class:`Match`,
  :func:`match_services`.

Sentences for a match live in the app layer (``app.matching.messages``), which may translate.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from services.matching.engine import (
    Eligibility,
    Evaluation,
    Match,
    Truth,
    evaluate,
    match_rule,
    match_services,
)
from services.matching.facts import EDITABLE_FACTS, FACT_NAMES, FACT_VALUES, Facts
from services.matching.rules import AllOf, AnyOf, Leaf, Rule, RuleError, parse_rule, parse_rules

if TYPE_CHECKING:
    from services.catalog import Catalog
    from services.personal import PersonalView

__all__ = [
    "EDITABLE_FACTS",
    "FACT_NAMES",
    "FACT_VALUES",
    "AllOf",
    "AnyOf",
    "Eligibility",
    "Evaluation",
    "Facts",
    "Leaf",
    "Match",
    "Rule",
    "RuleError",
    "Truth",
    "evaluate",
    "match_local",
    "match_rule",
    "match_services",
    "parse_rule",
    "parse_rules",
]


def match_local(catalog: Catalog, view: PersonalView, today: date) -> list[Match]:
    """Match from what is stored locally (works offline): the synced catalogue, and the
    profile facts, benefits and service records as shown, queued edits included, so a facts edit re-matches at
    once. Signed out (no profile) matches on no facts and no benefits."""
    facts = Facts.from_profile((view.me or {}).get("facts"), today)
    return match_services(
        catalog.store.items("service"),
        catalog.rules(),
        facts,
        view.benefits,
        view.service_records,
    )
