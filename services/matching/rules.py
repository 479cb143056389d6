"""Eligibility rules: catalogue items of kind ``rule``, parsed into a small typed tree.

A rule is data (``assets/seed/rules.json``, synced like any catalogue item)::

    {"id": "rule-severe-care-subsidy", "service_id": "svc-severe-care-subsidy",
     "when": {"all": [{"fact": "hukou", "is": "shanghai"},
                      {"fact": "certificate", "is": true},
                      {"any": [{"fact": "level", "max": 2},
                               {"fact": "category", "in": ["intellectual", "mental"]}]}]}}

A condition is ``{"all": [...]}`` (every one holds; ``[]`` = open to everyone), ``{"any": [...]}``
(at least one holds; never empty) or a leaf on one fact from ``FACT_NAMES``:
``{"fact": F, "is": V}``, ``{"fact": F, "in": [V, ...]}``, or for ``age`` and ``level``
``{"fact": F, "min": N}`` / ``{"fact": F, "max": N}`` / both (inclusive).

Unknown *extra* keys (a note, a future label) are ignored, so newer data still parses; an
unknown fact, a leaf with no known operator or a value outside the fact's domain is an error
that names the problem. :func:`parse_rules` skips (and logs once) a rule it cannot read: one
bad rule must never stop the app or the other rules.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StrictInt,
    Tag,
    ValidationError,
    model_validator,
)

from services.matching.facts import FACT_NAMES, NUMERIC_FACTS, is_valid_value

logger = logging.getLogger(__name__)

RULE_KIND = "rule"  # the catalogue kind


class RuleError(ValueError):
    """A rule's data cannot be understood; the message says which rule and why."""


class Leaf(BaseModel):
    """One test on one fact. Exactly one form: ``is``, ``in``, or ``min``/``max`` (numeric)."""

    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)

    fact: str
    is_: Any = Field(default=None, alias="is")
    in_: tuple[Any, ...] | None = Field(default=None, alias="in")
    min: StrictInt | None = None
    max: StrictInt | None = None

    @model_validator(mode="after")
    def _check(self) -> Leaf:
        if self.fact not in FACT_NAMES:
            raise ValueError(f"unknown fact {self.fact!r}; known facts: {', '.join(FACT_NAMES)}")
        given = self.model_fields_set
        forms = [f for f in ("is_", "in_") if f in given]
        if "min" in given or "max" in given:
            forms.append("range")
        if len(forms) != 1:
            raise ValueError(
                f"a leaf on {self.fact!r} needs exactly one operator: is, in, or min/max"
            )
        if "is_" in given and not is_valid_value(self.fact, self.is_):
            raise ValueError(f"{self.is_!r} is not a value of {self.fact!r}")
        if "in_" in given:
            if not self.in_:
                raise ValueError(f"'in' on {self.fact!r} needs at least one value")
            bad = [v for v in self.in_ if not is_valid_value(self.fact, v)]
            if bad:
                raise ValueError(f"{bad!r} are not values of {self.fact!r}")
        if forms == ["range"]:
            if self.fact not in NUMERIC_FACTS:
                raise ValueError(
                    f"min/max only apply to {sorted(NUMERIC_FACTS)}, not {self.fact!r}"
                )
            for bound in (self.min, self.max):
                if bound is not None and not is_valid_value(self.fact, bound):
                    raise ValueError(f"{bound!r} is out of range for {self.fact!r}")
            if self.min is not None and self.max is not None and self.min > self.max:
                raise ValueError(f"min {self.min} is above max {self.max} for {self.fact!r}")
        return self

    @property
    def op(self) -> str:
        """``"is"``, ``"in"`` or ``"range"``."""
        if "is_" in self.model_fields_set:
            return "is"
        if "in_" in self.model_fields_set:
            return "in"
        return "range"

    @property
    def values(self) -> tuple[Any, ...]:
        """The accepted values of an ``is``/``in`` leaf (empty for a range)."""
        if self.op == "is":
            return (self.is_,)
        return self.in_ or ()

    def holds_for(self, value: Any) -> bool:
        """Whether a known ``value`` of the fact satisfies this leaf."""
        if self.op == "range":
            return (self.min is None or value >= self.min) and (
                self.max is None or value <= self.max
            )
        # type() too: True == 1, but "certificate is true" must never match level 1.
        return any(type(v) is type(value) and v == value for v in self.values)

    def to_data(self) -> dict[str, Any]:
        """Back to the catalogue's JSON shape."""
        data: dict[str, Any] = {"fact": self.fact}
        if self.op == "is":
            data["is"] = self.is_
        elif self.op == "in":
            data["in"] = list(self.values)
        else:
            data.update({k: v for k, v in (("min", self.min), ("max", self.max)) if v is not None})
        return data


def _condition_kind(value: Any) -> str | None:
    if isinstance(value, BaseModel):
        return {AllOf: "all", AnyOf: "any", Leaf: "leaf"}.get(type(value))
    if not isinstance(value, Mapping):
        return None
    present = [key for key in ("all", "any", "fact") if key in value]
    if len(present) != 1:
        return None
    return "leaf" if present[0] == "fact" else present[0]


class AllOf(BaseModel):
    """Holds when every condition holds; ``{"all": []}`` holds for everyone."""

    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)

    conditions: tuple[Condition, ...] = Field(alias="all")

    def to_data(self) -> dict[str, Any]:
        return {"all": [c.to_data() for c in self.conditions]}


class AnyOf(BaseModel):
    """Holds when at least one condition holds; never empty."""

    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)

    conditions: tuple[Condition, ...] = Field(alias="any", min_length=1)

    def to_data(self) -> dict[str, Any]:
        return {"any": [c.to_data() for c in self.conditions]}


Condition = Annotated[
    Annotated[AllOf, Tag("all")] | Annotated[AnyOf, Tag("any")] | Annotated[Leaf, Tag("leaf")],
    Discriminator(
        _condition_kind,
        custom_error_type="unknown_condition",
        custom_error_message="a condition is an object with exactly one of: all, any, fact",
    ),
]
AllOf.model_rebuild()
AnyOf.model_rebuild()


class Rule(BaseModel):
    """When a service's conditions hold. ``id`` is ``rule-<service id without svc->``."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: str
    service_id: str
    when: Condition
    example_data: bool = False


def parse_rule(data: Any) -> Rule:
    """A typed rule, or :class:`RuleError` naming the rule and every problem found."""
    rule_id = data.get("id") if isinstance(data, Mapping) else None
    try:
        return Rule.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in error['loc']) or 'rule'}: {error['msg']}"
            for error in exc.errors(include_url=False)
        )
        raise RuleError(f"rule {rule_id or '?'}: {problems}") from exc


_reported: set[str] = set()  # rules already logged as unreadable (matching runs often)


def parse_rules(items: Iterable[Any]) -> list[Rule]:
    """The rules that parse, in the given order; each bad one is logged once and skipped."""
    rules = []
    for data in items:
        try:
            rules.append(parse_rule(data))
        except RuleError as exc:
            if str(exc) not in _reported:
                _reported.add(str(exc))
                logger.warning("skipping eligibility rule: %s", exc)
    return rules


def leaves(condition: AllOf | AnyOf | Leaf) -> Iterator[Leaf]:
    """Every leaf of a condition, depth first, in rule order."""
    if isinstance(condition, Leaf):
        yield condition
    else:
        for child in condition.conditions:
            yield from leaves(child)
