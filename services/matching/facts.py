"""What the matcher knows about a person: a few facts, each of which may be unknown.

The facts come from the server profile (``GET /me`` → ``facts``), edited through the outbox, so
they read offline. ``None`` always means "unknown"; it is never the same as ``False``: a person
who has not said whether they hold a disability certificate is not a person without one.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

logger = logging.getLogger(__name__)

Hukou = Literal["shanghai", "other"]
Category = Literal["vision", "hearing", "speech", "physical", "intellectual", "mental", "multiple"]
LowIncome = Literal["dibao", "low_income", "none"]
Employment = Literal["employed", "unemployed", "retired"]

# Every fact a rule may test, in the order questions and sentences list them.
FACT_NAMES: tuple[str, ...] = (
    "hukou",
    "age",
    "certificate",
    "category",
    "level",
    "low_income",
    "employment",
    "student",
    "district",
)
# Facts compared with min / max (inclusive); every fact may be compared with is / in.
NUMERIC_FACTS = frozenset({"age", "level"})
BOOLEAN_FACTS = frozenset({"certificate", "student"})
# The closed value sets; None for open domains (age: 0..AGE_MAX; district: DISTRICT_PATTERN).
FACT_VALUES: dict[str, tuple[Any, ...] | None] = {
    "hukou": ("shanghai", "other"),
    "age": None,
    "certificate": (True, False),
    "category": ("vision", "hearing", "speech", "physical", "intellectual", "mental", "multiple"),
    "level": (1, 2, 3, 4),
    "low_income": ("dibao", "low_income", "none"),
    "employment": ("employed", "unemployed", "retired"),
    "student": (True, False),
    "district": None,
}
# Facts the person can state themselves (PATCH /me facts). Age is not one: it is computed from
# the birth date the server derives from the ID number on record.
EDITABLE_FACTS: tuple[str, ...] = tuple(name for name in FACT_NAMES if name != "age")
AGE_MAX = 150
DISTRICT_PATTERN = re.compile(r"^3101[0-9]{2}$")  # a Shanghai district code, e.g. 310101


def is_valid_value(fact: str, value: Any) -> bool:
    """True if ``value`` (not None) is a possible value of ``fact``; bool is never an int here."""
    if fact not in FACT_VALUES:
        return False
    if fact in BOOLEAN_FACTS:
        return isinstance(value, bool)
    if fact in NUMERIC_FACTS:
        if isinstance(value, bool) or not isinstance(value, int):
            return False
        allowed = FACT_VALUES[fact]
        return value in allowed if allowed is not None else 0 <= value <= AGE_MAX
    if fact == "district":
        return isinstance(value, str) and DISTRICT_PATTERN.fullmatch(value) is not None
    allowed = FACT_VALUES[fact]
    return isinstance(value, str) and allowed is not None and value in allowed


class Facts(BaseModel):
    """One person's facts for matching; every field None = unknown. Immutable.

    Build it from the profile with :meth:`from_profile`; tests build it directly, e.g.
    ``Facts(hukou="shanghai", certificate=True, level=2)``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    hukou: Hukou | None = None
    age: int | None = Field(default=None, ge=0, le=AGE_MAX)
    certificate: bool | None = None
    category: Category | None = None
    level: int | None = Field(default=None, ge=1, le=4)
    low_income: LowIncome | None = None
    employment: Employment | None = None
    student: bool | None = None
    district: str | None = Field(default=None, pattern=r"^3101[0-9]{2}$")

    def get(self, fact: str) -> Any:
        """The value of ``fact`` (a name from FACT_NAMES), None when unknown."""
        if fact not in FACT_NAMES:
            raise KeyError(fact)
        return getattr(self, fact)

    def known(self) -> dict[str, Any]:
        """The facts that are known, by name."""
        return {name: value for name in FACT_NAMES if (value := getattr(self, name)) is not None}

    def with_fact(self, fact: str, value: Any) -> Facts:
        """A copy with one fact set (or forgotten, with None); the value is validated."""
        return Facts.model_validate({**self.known(), fact: value})

    @classmethod
    def from_profile(cls, me_facts: Mapping[str, Any] | None, today: date) -> Facts:
        """The facts in a ``/me`` answer's ``facts`` object, with ``age`` from ``birth_date``.

        Tolerant: a value this client does not understand (a newer server, a damaged cache) is
        logged and treated as unknown, never an error.
        """
        values: dict[str, Any] = {}
        for name, value in (me_facts or {}).items():
            if name in FACT_NAMES and name != "age" and value is not None:
                if is_valid_value(name, value):
                    values[name] = value
                else:
                    logger.warning("ignoring profile fact %s=%r: not a known value", name, value)
        age = age_on(me_facts.get("birth_date") if me_facts else None, today)
        if age is not None:
            values["age"] = age
        try:
            return cls.model_validate(values)
        except ValidationError:  # pragma: no cover - is_valid_value mirrors the fields
            logger.exception("profile facts not understood; matching with no facts")
            return cls()


def age_on(birth_date: Any, today: date) -> int | None:
    """Whole years from ``birth_date`` (a date or ISO text) to ``today``; None if unusable."""
    if isinstance(birth_date, str):
        try:
            birth_date = date.fromisoformat(birth_date[:10])
        except ValueError:
            return None
    if not isinstance(birth_date, date) or birth_date > today:
        return None
    years = (
        today.year
        - birth_date.year
        - ((today.month, today.day) < (birth_date.month, birth_date.day))
    )
    return years if 0 <= years <= AGE_MAX else None
