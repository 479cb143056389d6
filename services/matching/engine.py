"""Three-valued evaluation of eligibility rules, and the per-service match the screens show.

Each leaf is MET, FAILED or UNKNOWN (its fact is None). ``all`` and ``any`` combine them with
Kleene's strong three-valued logic:

* ``all``: any FAILED → FAILED, else any UNKNOWN → UNKNOWN, else MET (an empty ``all`` is MET);
* ``any``: any MET → MET, else any UNKNOWN → UNKNOWN, else FAILED.

This logic is monotone: learning a fact that was unknown can turn UNKNOWN into MET or FAILED,
but never changes a MET or FAILED result. So "eligible" never becomes "not eligible" by adding
information, and "maybe" becomes "not eligible" only through a leaf on the added fact failing.

The result for one service is a :class:`Match`; :func:`match_services` matches the whole
catalogue, most useful first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from services.matching.facts import Facts
from services.matching.rules import AllOf, AnyOf, Leaf, Rule, parse_rules

Condition = AllOf | AnyOf | Leaf


class Truth(StrEnum):
    MET = "met"
    FAILED = "failed"
    UNKNOWN = "unknown"


class Eligibility(StrEnum):
    """A service's status for one person, in the order :func:`match_services` lists them."""

    GRANTED = "granted"  # an active 免申即享 benefit: already received, no application needed
    APPLIED = "applied"  # the person's application is open (submitted, in review) or completed
    ELIGIBLE = "eligible"  # the rule holds on the known facts
    MAYBE = "maybe"  # the rule could hold; ``missing`` names the facts that decide it
    NOT_ELIGIBLE = "not_eligible"  # the rule fails; ``failed`` names the conditions that fail
    UNKNOWN_RULE = "unknown_rule"  # no readable rule for this service: ask at a service point


STATUS_ORDER = {status: index for index, status in enumerate(Eligibility)}
# A record in these states means "already applied": open, or done. A refused one ("rejected")
# does not: she may apply again, so the service is matched as usual.
APPLIED_RECORD_STATES = frozenset({"submitted", "in_review", "completed"})


@dataclass(frozen=True)
class Evaluation:
    """One condition's truth and the leaves that explain it.

    * ``met``: MET leaves that support the result (none inside a failed branch);
    * ``missing``: for UNKNOWN, the facts whose leaves are UNKNOWN and still decide the result;
    * ``failed``: for FAILED, the leaves that make it fail (inside a failed ``any``, all of them);
    * ``failure``: for FAILED, the condition pruned to what fails, keeping ``all``/``any``, so a
      sentence can say "requires A and B" or "requires A or B".
    """

    truth: Truth
    met: tuple[Leaf, ...] = ()
    missing: tuple[str, ...] = ()
    failed: tuple[Leaf, ...] = ()
    failure: Condition | None = None


def evaluate(condition: Condition, facts: Facts) -> Evaluation:
    """Evaluate a condition tree on (partly unknown) facts; never raises for valid facts."""
    if isinstance(condition, Leaf):
        value = facts.get(condition.fact)
        if value is None:
            return Evaluation(Truth.UNKNOWN, missing=(condition.fact,))
        if condition.holds_for(value):
            return Evaluation(Truth.MET, met=(condition,))
        return Evaluation(Truth.FAILED, failed=(condition,), failure=condition)

    children = [evaluate(child, facts) for child in condition.conditions]
    by_truth = {truth: [c for c in children if c.truth is truth] for truth in Truth}
    if isinstance(condition, AllOf):
        if by_truth[Truth.FAILED]:
            return _failed(AllOf, by_truth[Truth.FAILED])
        if by_truth[Truth.UNKNOWN]:
            return _unknown(children, by_truth[Truth.UNKNOWN])
        return Evaluation(Truth.MET, met=_concat(c.met for c in children))
    if by_truth[Truth.MET]:
        return Evaluation(Truth.MET, met=_concat(c.met for c in by_truth[Truth.MET]))
    if by_truth[Truth.UNKNOWN]:
        return _unknown(by_truth[Truth.UNKNOWN], by_truth[Truth.UNKNOWN])
    return _failed(AnyOf, children)


def _failed(kind: type[AllOf] | type[AnyOf], failing: list[Evaluation]) -> Evaluation:
    parts = tuple(c.failure for c in failing if c.failure is not None)
    failure: Condition = parts[0] if len(parts) == 1 else kind.model_construct(conditions=parts)
    return Evaluation(Truth.FAILED, failed=_concat(c.failed for c in failing), failure=failure)


def _unknown(supporting: list[Evaluation], deciding: list[Evaluation]) -> Evaluation:
    return Evaluation(
        Truth.UNKNOWN,
        met=_concat(c.met for c in supporting),
        missing=_concat(c.missing for c in deciding),
    )


def _concat(parts: Iterable[tuple[Any, ...]]) -> tuple[Any, ...]:
    """Concatenate, keeping the first of equal items (rule order)."""
    seen: list[Any] = []
    for part in parts:
        seen.extend(item for item in part if item not in seen)
    return tuple(seen)


@dataclass(frozen=True)
class Match:
    """What one service means for one person. Stable API for the matching screen.

    * ``status``: see :class:`Eligibility`;
    * ``met``: the conditions the person meets ("you qualify because …"), for ELIGIBLE/MAYBE;
    * ``missing``: for MAYBE, names from ``FACT_NAMES`` still needed, deduplicated, rule order;
    * ``failed``: for NOT_ELIGIBLE, the leaves that fail; ``failure`` is the same as a pruned
      tree (``all`` = each is required, ``any`` = one would do);
    * ``benefit``: for GRANTED, the ``/me/benefits`` item; ``reason`` is its description;
    * ``record``: for APPLIED, the ``/me/service-records`` item (its status and dates);
    * ``service``: the catalogue item (name, how, steps … to show how to apply);
    * ``facts``: the facts matched on, so a sentence can say "yours: level 3".
    """

    service_id: str
    status: Eligibility
    met: list[Leaf] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    failed: list[Leaf] = field(default_factory=list)
    failure: Condition | None = None
    rule_id: str | None = None
    benefit: Mapping[str, Any] | None = None
    record: Mapping[str, Any] | None = None
    service: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    facts: Facts = field(default_factory=Facts, compare=False, repr=False)

    @property
    def granted(self) -> bool:
        return self.status is Eligibility.GRANTED

    @property
    def reason(self) -> str | None:
        """Why a GRANTED benefit was granted (its description, else its title)."""
        if self.benefit is None:
            return None
        return self.benefit.get("description") or self.benefit.get("title") or None

    @property
    def name(self) -> str:
        return str(self.service.get("name") or self.service_id)

    @property
    def popularity(self) -> int:
        value = self.service.get("popularity", 0)
        return value if isinstance(value, int) and not isinstance(value, bool) else 0


_STATUS_OF_TRUTH = {
    Truth.MET: Eligibility.ELIGIBLE,
    Truth.UNKNOWN: Eligibility.MAYBE,
    Truth.FAILED: Eligibility.NOT_ELIGIBLE,
}


def match_rule(
    rule: Rule | Condition, facts: Facts, service: Mapping[str, Any] | None = None
) -> Match:
    """The match of one rule (or a bare condition) for ``facts``: ELIGIBLE, MAYBE or NOT_ELIGIBLE."""
    condition = rule.when if isinstance(rule, Rule) else rule
    result = evaluate(condition, facts)
    service = service or {}
    service_id = rule.service_id if isinstance(rule, Rule) else str(service.get("id", ""))
    return Match(
        service_id=service_id,
        status=_STATUS_OF_TRUTH[result.truth],
        met=list(result.met),
        missing=list(result.missing) if result.truth is Truth.UNKNOWN else [],
        failed=list(result.failed),
        failure=result.failure,
        rule_id=rule.id if isinstance(rule, Rule) else None,
        service=service,
        facts=facts,
    )


def match_services(
    services: Sequence[Mapping[str, Any]],
    rules: Iterable[Mapping[str, Any] | Rule],
    facts: Facts,
    benefits: Iterable[Mapping[str, Any]] = (),
    records: Iterable[Mapping[str, Any]] = (),
) -> list[Match]:
    """Match every service for ``facts``; stable API for the matching screen.

    ``services`` and ``rules`` are catalogue items (``LocalStore.items("service")`` /
    ``Catalog.rules()``), ``benefits`` the ``/me/benefits`` list. A service with an active
    benefit (status ``"active"``, same ``service_id``) is GRANTED whatever its rule says, and is
    listed even if the catalogue does not hold it yet; else a service with one of ``records``
    (``/me/service-records``) open or completed is APPLIED (never offered as "you can apply"
    while her application is in review); a service without a readable rule is UNKNOWN_RULE.
    Several rules for one service count as alternatives (any of them).

    Order: GRANTED, APPLIED, ELIGIBLE, MAYBE, NOT_ELIGIBLE, UNKNOWN_RULE; within a status by the
    service's ``popularity`` (highest first), then name, then id. Pure and fast (no I/O): call
    it again whenever the profile, the benefits or the catalogue change.
    """
    by_service: dict[str, list[Rule]] = {}
    for rule in parse_rules(rules):
        by_service.setdefault(rule.service_id, []).append(rule)
    granted: dict[str, Mapping[str, Any]] = {}
    for benefit in benefits:
        service_id = benefit.get("service_id")
        if benefit.get("status") == "active" and isinstance(service_id, str):
            granted.setdefault(service_id, benefit)
    applied: dict[str, Mapping[str, Any]] = {}
    for record in sorted(records, key=lambda r: str(r.get("submitted_at") or ""), reverse=True):
        service_id = record.get("service_id")
        if record.get("status") in APPLIED_RECORD_STATES and isinstance(service_id, str):
            applied.setdefault(service_id, record)  # the newest application of each service

    matches: list[Match] = []
    seen: set[str] = set()
    for service in services:
        service_id = str(service.get("id", ""))
        if not service_id or service_id in seen:
            continue
        seen.add(service_id)
        matches.append(
            _match_one(service_id, service, by_service.get(service_id), facts, granted, applied)
        )
    for service_id, benefit in granted.items():
        if service_id not in seen:  # catalogue not synced yet: the grant still shows
            service = {"id": service_id, "name": benefit.get("title") or service_id}
            matches.append(_match_one(service_id, service, None, facts, granted, applied))
    return sorted(
        matches, key=lambda m: (STATUS_ORDER[m.status], -m.popularity, m.name, m.service_id)
    )


def _match_one(
    service_id: str,
    service: Mapping[str, Any],
    rules: list[Rule] | None,
    facts: Facts,
    granted: Mapping[str, Mapping[str, Any]],
    applied: Mapping[str, Mapping[str, Any]],
) -> Match:
    rule_id = rules[0].id if rules else None
    # What the person already has or asked for decides before any rule.
    for status, held, field_name in (
        (Eligibility.GRANTED, granted, "benefit"),
        (Eligibility.APPLIED, applied, "record"),
    ):
        if service_id in held:
            return Match(
                service_id,
                status,
                rule_id=rule_id,
                service=service,
                facts=facts,
                **{field_name: held[service_id]},
            )
    if not rules:
        return Match(service_id, Eligibility.UNKNOWN_RULE, service=service, facts=facts)
    if len(rules) == 1:
        return match_rule(rules[0], facts, service)
    either = AnyOf.model_construct(conditions=tuple(rule.when for rule in rules))
    match = match_rule(either, facts, service)
    return Match(**{**match.__dict__, "service_id": service_id, "rule_id": rule_id})
