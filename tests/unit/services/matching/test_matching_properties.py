"""Properties of three-valued matching, over random rules and the seed rules (hypothesis).

* evaluation never raises, whatever is known;
* ELIGIBLE never has missing facts; MAYBE always names at least one;
* learning a missing fact never turns ELIGIBLE into anything else, never turns NOT_ELIGIBLE
  into anything else, and turns MAYBE into NOT_ELIGIBLE only through a failing condition on
  the fact just learned.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from services.matching import (
    FACT_NAMES,
    FACT_VALUES,
    Eligibility,
    Facts,
    Rule,
    match_rule,
    parse_rule,
)
from tests import paths

SEED_RULES = [
    parse_rule(data)
    for data in json.loads((paths.REPO_ROOT / "assets/seed/rules.json").read_text(encoding="utf-8"))
]
DISTRICTS = ["310101", "310104", "310115", "310151"]

PROPERTY_SETTINGS = settings(max_examples=300, deadline=None, derandomize=True, database=None)


def values_of(fact: str) -> st.SearchStrategy[Any]:
    if fact == "age":
        return st.integers(min_value=0, max_value=150)
    if fact == "district":
        return st.sampled_from(DISTRICTS)
    return st.sampled_from(FACT_VALUES[fact])


@st.composite
def leaves(draw: st.DrawFn) -> dict[str, Any]:
    fact = draw(st.sampled_from(FACT_NAMES))
    forms = ["is", "in", "range"] if fact in ("age", "level") else ["is", "in"]
    form = draw(st.sampled_from(forms))
    if form == "is":
        return {"fact": fact, "is": draw(values_of(fact))}
    if form == "in":
        return {
            "fact": fact,
            "in": draw(st.lists(values_of(fact), min_size=1, max_size=4, unique=True)),
        }
    low, high = sorted(draw(st.lists(values_of(fact), min_size=2, max_size=2)))
    bounds = draw(st.sampled_from([{"min": low}, {"max": high}, {"min": low, "max": high}]))
    return {"fact": fact, **bounds}


conditions = st.recursive(
    leaves(),
    lambda children: st.one_of(
        st.builds(lambda c: {"all": c}, st.lists(children, min_size=0, max_size=4)),
        st.builds(lambda c: {"any": c}, st.lists(children, min_size=1, max_size=4)),
    ),
    max_leaves=12,
)
random_rules = conditions.map(
    lambda when: parse_rule({"id": "rule-r", "service_id": "svc-r", "when": when})
)
any_rule = st.one_of(random_rules, st.sampled_from(SEED_RULES))


@st.composite
def partial_facts(draw: st.DrawFn) -> Facts:
    known = draw(st.lists(st.sampled_from(FACT_NAMES), unique=True))
    return Facts(**{fact: draw(values_of(fact)) for fact in known})


@st.composite
def learning(draw: st.DrawFn) -> tuple[Rule, Facts, str, Any]:
    """A rule, partial facts, and a fact that is missing from them with the value learned."""
    rule = draw(any_rule)
    facts = draw(partial_facts())
    unknown = [f for f in FACT_NAMES if facts.get(f) is None]
    fact = draw(st.sampled_from(unknown)) if unknown else "age"
    if not unknown:
        facts = facts.with_fact("age", None)
    return rule, facts, fact, draw(values_of(fact))


@PROPERTY_SETTINGS
@given(any_rule, partial_facts())
def test_evaluation_never_raises_and_statuses_are_consistent(rule: Rule, facts: Facts) -> None:
    match = match_rule(rule, facts)

    assert match.status in (Eligibility.ELIGIBLE, Eligibility.MAYBE, Eligibility.NOT_ELIGIBLE)
    if match.status is Eligibility.ELIGIBLE:
        assert match.missing == [] and match.failed == []
    if match.status is Eligibility.MAYBE:
        assert match.missing and match.failed == []
        assert all(facts.get(fact) is None for fact in match.missing)
        assert len(set(match.missing)) == len(match.missing)
    if match.status is Eligibility.NOT_ELIGIBLE:
        assert match.failed and match.missing == []
        assert all(not leaf.holds_for(facts.get(leaf.fact)) for leaf in match.failed)
    assert all(leaf.holds_for(facts.get(leaf.fact)) for leaf in match.met)


@PROPERTY_SETTINGS
@given(learning())
def test_learning_a_missing_fact_only_ever_settles_the_answer(
    case: tuple[Rule, Facts, str, Any],
) -> None:
    rule, facts, fact, value = case
    before = match_rule(rule, facts)

    after = match_rule(rule, facts.with_fact(fact, value))

    if before.status is Eligibility.ELIGIBLE:
        assert after.status is Eligibility.ELIGIBLE
    if before.status is Eligibility.NOT_ELIGIBLE:
        assert after.status is Eligibility.NOT_ELIGIBLE
    if before.status is not Eligibility.NOT_ELIGIBLE and after.status is Eligibility.NOT_ELIGIBLE:
        assert any(leaf.fact == fact for leaf in after.failed), (before, after)
    if fact not in before.missing:
        # A fact that did not decide the answer cannot change it.
        assert after.status is before.status


@PROPERTY_SETTINGS
@given(any_rule, partial_facts())
def test_answering_every_missing_fact_settles_a_maybe(rule: Rule, facts: Facts) -> None:
    full = facts
    for fact in FACT_NAMES:
        if full.get(fact) is None:
            full = full.with_fact(
                fact, {"age": 40, "district": "310101"}.get(fact) or FACT_VALUES[fact][0]
            )

    assert match_rule(rule, full).status is not Eligibility.MAYBE


def test_the_seed_rules_are_all_covered() -> None:
    assert len(SEED_RULES) == 39
