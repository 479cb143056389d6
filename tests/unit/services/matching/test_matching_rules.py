"""Every seed eligibility rule, checked against an independent two-valued reading of its tree.

For each rule in assets/seed/rules.json: a fact set built from the tree satisfies it (ELIGIBLE);
breaking any condition that must hold makes it NOT_ELIGIBLE with that condition named; with no
facts known it is MAYBE and asks for every fact it tests; and on every fully known fact set
over the rule's facts the engine agrees with plain two-valued logic. Then real-life cases.
"""

from __future__ import annotations

import itertools
import logging
from datetime import date
from functools import cache
from typing import Any

import pytest

from backend.demo_users import RESIDENT_BIRTH_DATE, RESIDENT_FACTS
from services.matching import (
    FACT_VALUES,
    AllOf,
    AnyOf,
    Eligibility,
    Facts,
    Leaf,
    Rule,
    RuleError,
    match_rule,
    match_services,
    parse_rule,
)
from services.matching.rules import leaves
from tests.seed_catalogue import seed_file

Condition = AllOf | AnyOf | Leaf


seed = cache(seed_file)


@cache
def rules_by_id() -> dict[str, Rule]:
    return {data["id"]: parse_rule(data) for data in seed("rules.json")}


def rule_for(service_id: str) -> Rule:
    return next(r for r in rules_by_id().values() if r.service_id == service_id)


def service(service_id: str) -> dict[str, Any]:
    return next(s for s in seed("services.json") if s["id"] == service_id)


RULE_IDS = [data["id"] for data in seed("rules.json")]


# -- an independent reference: two-valued logic straight from the JSON -----------------------


def leaf_holds(leaf: dict[str, Any], value: Any) -> bool:
    if "is" in leaf:
        return type(value) is type(leaf["is"]) and value == leaf["is"]
    if "in" in leaf:
        return any(type(value) is type(v) and value == v for v in leaf["in"])
    return leaf.get("min", -(10**9)) <= value <= leaf.get("max", 10**9)


def holds(node: dict[str, Any], values: dict[str, Any]) -> bool:
    if "all" in node:
        return all(holds(child, values) for child in node["all"])
    if "any" in node:
        return any(holds(child, values) for child in node["any"])
    return leaf_holds(node, values[node["fact"]])


def candidates(fact: str, rule: dict[str, Any]) -> list[Any]:
    """Values worth trying for a fact: its whole domain, or the rule's bounds and neighbours."""
    if FACT_VALUES[fact] is not None:
        return list(FACT_VALUES[fact])
    used = [leaf for leaf in json_leaves(rule) if leaf["fact"] == fact]
    if fact == "district":
        return sorted(
            {v for leaf in used for v in leaf.get("in", [leaf.get("is")]) if v} | {"310151"}
        )
    points = {0, 30, 100}
    for leaf in used:
        for bound in [leaf.get("min"), leaf.get("max"), leaf.get("is"), *leaf.get("in", [])]:
            if bound is not None:
                points |= {bound - 1, bound, bound + 1}
    return sorted(p for p in points if 0 <= p <= 150)


def json_leaves(node: dict[str, Any]) -> list[dict[str, Any]]:
    if "all" in node or "any" in node:
        return [leaf for child in node.get("all", node.get("any")) for leaf in json_leaves(child)]
    return [node]


def rule_facts(node: dict[str, Any]) -> list[str]:
    return list(dict.fromkeys(leaf["fact"] for leaf in json_leaves(node)))


def assignments(node: dict[str, Any]) -> list[dict[str, Any]]:
    facts = rule_facts(node)
    domains = [candidates(f, node) for f in facts]
    return [dict(zip(facts, combo, strict=True)) for combo in itertools.product(*domains)]


def satisfying(node: dict[str, Any]) -> dict[str, Any]:
    found = next((a for a in assignments(node) if holds(node, a)), None)
    assert found is not None, f"no fact set satisfies {node}"
    return found


def required_leaves(condition: Condition) -> list[Leaf]:
    """Leaves reached through ``all`` only: each must hold for the rule to hold."""
    if isinstance(condition, Leaf):
        return [condition]
    if isinstance(condition, AnyOf):
        return []
    return [leaf for child in condition.conditions for leaf in required_leaves(child)]


def required_anys(condition: Condition) -> list[AnyOf]:
    if isinstance(condition, AnyOf):
        return [condition]
    if isinstance(condition, Leaf):
        return []
    return [a for child in condition.conditions for a in required_anys(child)]


def data_of(rule_id: str) -> dict[str, Any]:
    return next(r for r in seed("rules.json") if r["id"] == rule_id)["when"]


# -- every seed rule ----------------------------------------------------------------------------


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_a_fact_set_built_from_the_rule_is_eligible(rule_id: str) -> None:
    rule = rules_by_id()[rule_id]
    values = satisfying(data_of(rule_id))

    match = match_rule(rule, Facts(**values))

    assert match.status is Eligibility.ELIGIBLE, (values, match)
    assert match.missing == [] and match.failed == [] and match.failure is None
    assert all(leaf.holds_for(values[leaf.fact]) for leaf in match.met)


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_breaking_a_condition_that_must_hold_makes_it_not_eligible(rule_id: str) -> None:
    rule = rules_by_id()[rule_id]
    node = data_of(rule_id)
    good = satisfying(node)
    for leaf in required_leaves(rule.when):
        bad_value = next(
            v for v in candidates(leaf.fact, node) if not leaf_holds(leaf.to_data(), v)
        )
        facts = Facts(**{**good, leaf.fact: bad_value})

        match = match_rule(rule, facts)

        assert match.status is Eligibility.NOT_ELIGIBLE, (leaf, bad_value)
        assert leaf in match.failed, (leaf, match.failed)
        assert match.missing == []


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_an_alternative_fails_only_when_every_branch_fails(rule_id: str) -> None:
    rule = rules_by_id()[rule_id]
    node = data_of(rule_id)
    good = satisfying(node)
    for any_node in required_anys(rule.when):
        inner = any_node.to_data()
        broken = next(
            a for a in assignments(inner) if not holds(inner, {**good, **a})
        )  # change only the facts inside the "any"
        values = {**good, **broken}

        match = match_rule(rule, Facts(**values))

        assert match.status is Eligibility.NOT_ELIGIBLE
        inside = list(leaves(any_node))
        assert any(leaf in match.failed for leaf in inside)
        assert all(not leaf.holds_for(values[leaf.fact]) for leaf in match.failed)


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_with_nothing_known_every_tested_fact_is_asked_for(rule_id: str) -> None:
    rule = rules_by_id()[rule_id]
    match = match_rule(rule, Facts())

    tested = rule_facts(data_of(rule_id))
    if not tested:
        assert match.status is Eligibility.ELIGIBLE and match.met == []
    else:
        assert match.status is Eligibility.MAYBE
        assert match.missing == tested
        assert match.met == [] and match.failed == []


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_agrees_with_two_valued_logic_on_every_known_fact_set(rule_id: str) -> None:
    rule = rules_by_id()[rule_id]
    node = data_of(rule_id)
    for values in assignments(node):
        match = match_rule(rule, Facts(**values))

        expected = Eligibility.ELIGIBLE if holds(node, values) else Eligibility.NOT_ELIGIBLE
        assert match.status is expected, values
        assert match.missing == []
        assert all(not leaf.holds_for(values[leaf.fact]) for leaf in match.failed)
        assert all(leaf.holds_for(values[leaf.fact]) for leaf in match.met)
        assert bool(match.failed) == (expected is Eligibility.NOT_ELIGIBLE)


# -- real-life cases ----------------------------------------------------------------------------

TODAY = date(2026, 3, 1)
# 张阿姨, the demo resident: born 1955-03-12 (from her ID number), low income not stated.
AUNT = Facts.from_profile(
    {**RESIDENT_FACTS, "birth_date": RESIDENT_BIRTH_DATE, "low_income": None},
    TODAY,
)
SHANGHAI_HOLDER = {"hukou": "shanghai", "certificate": True}


def status(service_id: str, facts: Facts) -> Eligibility:
    return match_rule(rule_for(service_id), facts).status


def test_the_aunt_gets_the_severe_care_subsidy() -> None:
    assert AUNT.age == 70
    match = match_rule(rule_for("svc-severe-care-subsidy"), AUNT)
    assert match.status is Eligibility.ELIGIBLE
    assert {leaf.fact for leaf in match.met} == {"hukou", "certificate", "level"}


def test_the_aunt_may_get_the_hardship_subsidy_once_her_income_is_known() -> None:
    match = match_rule(rule_for("svc-hardship-living-subsidy"), AUNT)
    assert match.status is Eligibility.MAYBE
    assert match.missing == ["low_income"]
    assert {leaf.fact for leaf in match.met} == {"hukou", "certificate"}
    assert status("svc-hardship-living-subsidy", AUNT.with_fact("low_income", "dibao")) is (
        Eligibility.ELIGIBLE
    )
    assert status("svc-hardship-living-subsidy", AUNT.with_fact("low_income", "none")) is (
        Eligibility.NOT_ELIGIBLE
    )


def test_the_aunts_transport_subsidy_shows_as_already_granted() -> None:
    benefit = {
        "service_id": "svc-transport-subsidy",
        "status": "active",
        "title": "残疾人交通补贴",
        "description": "按规定自动发放，无需申请。",
    }
    matches = match_services(seed("services.json"), seed("rules.json"), AUNT, [benefit])

    assert matches[0].service_id == "svc-transport-subsidy"
    assert matches[0].status is Eligibility.GRANTED and matches[0].granted
    assert matches[0].reason == "按规定自动发放，无需申请。"


def test_an_ended_benefit_does_not_count_as_granted() -> None:
    benefit = {"service_id": "svc-transport-subsidy", "status": "ended", "title": "x"}
    matches = match_services(seed("services.json"), seed("rules.json"), AUNT, [benefit])
    transport = next(m for m in matches if m.service_id == "svc-transport-subsidy")
    assert transport.status is Eligibility.ELIGIBLE


def test_a_service_she_applied_for_is_shown_as_applied_not_as_you_can_apply() -> None:
    """Her severe-care subsidy is in review since 2025-03-23: never "you can apply" again."""
    in_review = {
        "service_id": "svc-severe-care-subsidy",
        "status": "in_review",
        "submitted_at": "2025-03-23T02:00:00+00:00",
    }
    services, rules = seed("services.json"), seed("rules.json")
    assert status("svc-severe-care-subsidy", AUNT) is Eligibility.ELIGIBLE  # the premise

    matches = match_services(services, rules, AUNT, [], [in_review])

    severe = next(m for m in matches if m.service_id == "svc-severe-care-subsidy")
    assert severe.status is Eligibility.APPLIED and severe.record == in_review
    eligible = [m.service_id for m in matches if m.status is Eligibility.ELIGIBLE]
    assert "svc-severe-care-subsidy" not in eligible


@pytest.mark.parametrize("record_status", ["submitted", "in_review", "completed"])
def test_open_and_completed_records_count_as_applied(record_status: str) -> None:
    record = {"service_id": "svc-severe-care-subsidy", "status": record_status}
    matches = match_services(seed("services.json"), seed("rules.json"), AUNT, [], [record])
    severe = next(m for m in matches if m.service_id == "svc-severe-care-subsidy")
    assert severe.status is Eligibility.APPLIED


def test_a_refused_application_leaves_the_service_open_to_apply_again() -> None:
    refused = {"service_id": "svc-severe-care-subsidy", "status": "rejected"}
    matches = match_services(seed("services.json"), seed("rules.json"), AUNT, [], [refused])
    severe = next(m for m in matches if m.service_id == "svc-severe-care-subsidy")
    assert severe.status is Eligibility.ELIGIBLE


def test_the_newest_record_of_a_service_decides() -> None:
    older = {"service_id": "svc-x", "status": "completed", "submitted_at": "2024-01-01T00:00:00Z"}
    newer = {"service_id": "svc-x", "status": "in_review", "submitted_at": "2025-01-01T00:00:00Z"}
    services = [{"id": "svc-x", "name": "X"}]
    (match,) = match_services(services, [], Facts(), [], [older, newer])
    assert match.record == newer


def test_a_five_year_old_gets_child_rehabilitation_aid_without_a_certificate() -> None:
    assert status("svc-child-rehab-aid", Facts(age=5)) is Eligibility.ELIGIBLE
    assert status("svc-child-rehab-aid", Facts(age=6)) is Eligibility.ELIGIBLE
    assert status("svc-child-rehab-aid", Facts(age=7)) is Eligibility.NOT_ELIGIBLE
    assert status("svc-child-rehab-aid", AUNT) is Eligibility.NOT_ELIGIBLE


def test_level_three_physical_does_not_get_severe_care_but_level_three_intellectual_does() -> None:
    physical = Facts(**SHANGHAI_HOLDER, level=3, category="physical")
    match = match_rule(rule_for("svc-severe-care-subsidy"), physical)
    assert match.status is Eligibility.NOT_ELIGIBLE
    assert [leaf.to_data() for leaf in match.failed] == [
        {"fact": "level", "max": 2},
        {"fact": "category", "in": ["intellectual", "mental"]},
    ]
    assert isinstance(match.failure, AnyOf)

    assert status("svc-severe-care-subsidy", physical.with_fact("category", "intellectual")) is (
        Eligibility.ELIGIBLE
    )
    level_four = Facts(**SHANGHAI_HOLDER, level=4, category="mental")
    assert match_rule(rule_for("svc-severe-care-subsidy"), level_four).failed == [
        Leaf(fact="level", max=3)
    ]


def test_an_unemployed_thirty_year_old_with_a_certificate_gets_employment_help() -> None:
    facts = Facts(certificate=True, age=30, employment="unemployed")
    assert status("svc-employment-assistance", facts) is Eligibility.ELIGIBLE
    assert status("svc-vocational-training", facts) is Eligibility.ELIGIBLE
    assert status("svc-employment-assistance", facts.with_fact("employment", "employed")) is (
        Eligibility.NOT_ELIGIBLE
    )
    match = match_rule(rule_for("svc-employment-assistance"), facts.with_fact("age", 60))
    assert [leaf.fact for leaf in match.failed] == ["age"]


def test_a_student_needs_a_certificate_for_student_aid() -> None:
    assert status("svc-student-aid", Facts(student=True, certificate=True)) is Eligibility.ELIGIBLE
    match = match_rule(rule_for("svc-student-aid"), Facts(student=True, certificate=False))
    assert match.status is Eligibility.NOT_ELIGIBLE
    assert [leaf.fact for leaf in match.failed] == ["certificate"]
    assert match_rule(rule_for("svc-student-aid"), Facts(student=True)).missing == ["certificate"]


def test_a_blind_teenager_gets_travel_help_but_not_yet_a_guide_dog() -> None:
    teen = Facts(certificate=True, category="vision", age=17)
    assert status("svc-blind-travel-assist", teen) is Eligibility.ELIGIBLE
    assert status("svc-accessible-reading", teen) is Eligibility.ELIGIBLE
    assert status("svc-guide-dog", teen) is Eligibility.NOT_ELIGIBLE
    assert status("svc-guide-dog", teen.with_fact("age", 18)) is Eligibility.ELIGIBLE


def test_an_older_person_without_a_certificate_can_book_an_accessible_taxi() -> None:
    assert status("svc-accessible-taxi", Facts(certificate=False, age=65)) is Eligibility.ELIGIBLE
    assert status("svc-accessible-taxi", Facts(certificate=False, age=40)) is (
        Eligibility.NOT_ELIGIBLE
    )
    # Either condition settles it: nothing else is asked once one holds.
    assert status("svc-accessible-taxi", Facts(certificate=True)) is Eligibility.ELIGIBLE
    maybe = match_rule(rule_for("svc-accessible-taxi"), Facts(certificate=False))
    assert (maybe.status, maybe.missing) == (Eligibility.MAYBE, ["age"])


def test_household_registration_outside_shanghai_rules_out_city_subsidies() -> None:
    outsider = Facts(hukou="other", certificate=True, level=1, category="physical")
    for service_id in ("svc-transport-subsidy", "svc-severe-care-subsidy", "svc-home-care"):
        match = match_rule(rule_for(service_id), outsider)
        assert match.status is Eligibility.NOT_ELIGIBLE, service_id
        assert [leaf.fact for leaf in match.failed] == ["hukou"], service_id
    assert status("svc-community-rehab", outsider) is Eligibility.ELIGIBLE


def test_a_person_without_a_certificate_is_pointed_at_applying_for_one() -> None:
    newcomer = Facts(hukou="shanghai", certificate=False)
    assert status("svc-disability-card-apply", newcomer) is Eligibility.ELIGIBLE
    assert status("svc-disability-card-renew", newcomer) is Eligibility.NOT_ELIGIBLE
    assert status("svc-disability-card-apply", AUNT) is Eligibility.NOT_ELIGIBLE


def test_open_services_are_eligible_for_everyone() -> None:
    for service_id in ("svc-accessibility-feedback", "svc-legal-aid", "svc-rights-protection"):
        match = match_rule(rule_for(service_id), Facts())
        assert (match.status, match.met, match.missing) == (Eligibility.ELIGIBLE, [], [])


# -- facts from the profile ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth_date", "age"),
    [("1955-03-12", 70), ("1955-03-01", 71), ("2020-03-02", 5), ("2026-03-01", 0), (None, None)],
)
def test_age_is_whole_years_on_the_day(birth_date: str | None, age: int | None) -> None:
    assert Facts.from_profile({"birth_date": birth_date}, TODAY).age == age


def test_profile_values_this_client_does_not_know_are_treated_as_unknown(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING):
        facts = Facts.from_profile(
            {
                "hukou": "mars",
                "level": 9,
                "certificate": "yes",
                "student": True,
                "pets": 2,
                "birth_date": "not a date",
                "district": "110101",
            },
            TODAY,
        )
    assert facts == Facts(student=True)
    assert Facts.from_profile(None, TODAY) == Facts()
    assert Facts.from_profile({"birth_date": "2030-01-01"}, TODAY).age is None


# -- the list as a whole ------------------------------------------------------------------------


def test_the_list_is_granted_then_applied_then_eligible_then_maybe_then_not_then_unknown() -> None:
    services = [
        {"id": "svc-a", "name": "A", "popularity": 10},
        {"id": "svc-b", "name": "B", "popularity": 90},
        {"id": "svc-c", "name": "C", "popularity": 50},
        {"id": "svc-d", "name": "D", "popularity": 99},
        {"id": "svc-e", "name": "E", "popularity": 100},
        {"id": "svc-f", "name": "F", "popularity": 10},
    ]
    rules = [
        {"id": "rule-a", "service_id": "svc-a", "when": {"all": []}},
        {"id": "rule-b", "service_id": "svc-b", "when": {"fact": "student", "is": True}},
        {"id": "rule-c", "service_id": "svc-c", "when": {"fact": "level", "max": 2}},
        {"id": "rule-d", "service_id": "svc-d", "when": {"fact": "student", "is": False}},
        {"id": "rule-f", "service_id": "svc-f", "when": {"all": []}},
    ]
    benefits = [{"service_id": "svc-d", "status": "active", "description": "auto"}]
    records = [{"service_id": "svc-g", "status": "in_review"}]
    services.append({"id": "svc-g", "name": "G", "popularity": 1})
    rules.append({"id": "rule-g", "service_id": "svc-g", "when": {"all": []}})

    matches = match_services(services, rules, Facts(student=True), benefits, records)

    assert [(m.service_id, m.status) for m in matches] == [
        ("svc-d", Eligibility.GRANTED),
        ("svc-g", Eligibility.APPLIED),
        ("svc-b", Eligibility.ELIGIBLE),
        ("svc-a", Eligibility.ELIGIBLE),
        ("svc-f", Eligibility.ELIGIBLE),
        ("svc-c", Eligibility.MAYBE),
        ("svc-e", Eligibility.UNKNOWN_RULE),
    ]


def test_a_granted_benefit_shows_even_before_its_service_is_synced() -> None:
    benefit = {"service_id": "svc-new", "status": "active", "title": "新补贴", "description": None}
    [match] = match_services([], [], Facts(), [benefit])
    assert (match.service_id, match.status, match.name, match.reason) == (
        "svc-new",
        Eligibility.GRANTED,
        "新补贴",
        "新补贴",
    )


def test_a_broken_rule_is_skipped_and_logged_and_the_others_still_match(
    caplog: pytest.LogCaptureFixture,
) -> None:
    services = [{"id": "svc-a", "name": "A"}, {"id": "svc-b", "name": "B"}]
    rules = [
        {"id": "rule-a", "service_id": "svc-a", "when": {"fact": "shoe_size", "is": 42}},
        {"id": "rule-b", "service_id": "svc-b", "when": {"all": []}},
    ]
    with caplog.at_level(logging.WARNING, logger="services.matching.rules"):
        matches = match_services(services, rules, Facts())
        match_services(services, rules, Facts())

    assert [(m.service_id, m.status) for m in matches] == [
        ("svc-b", Eligibility.ELIGIBLE),
        ("svc-a", Eligibility.UNKNOWN_RULE),
    ]
    logged = [r.getMessage() for r in caplog.records if "rule-a" in r.getMessage()]
    assert len(logged) == 1 and "shoe_size" in logged[0]


def test_two_rules_for_one_service_are_alternatives() -> None:
    rules = [
        {"id": "rule-x1", "service_id": "svc-x", "when": {"fact": "student", "is": True}},
        {"id": "rule-x2", "service_id": "svc-x", "when": {"fact": "age", "min": 60}},
    ]
    services = [{"id": "svc-x", "name": "X"}]
    assert match_services(services, rules, Facts(age=70))[0].status is Eligibility.ELIGIBLE
    [match] = match_services(services, rules, Facts(age=20, student=False))
    assert (match.status, match.rule_id) == (Eligibility.NOT_ELIGIBLE, "rule-x1")


# -- parsing ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "problem"),
    [
        ({"fact": "shoe_size", "is": 42}, "unknown fact 'shoe_size'"),
        ({"fact": "level", "gt": 2}, "exactly one operator"),
        ({"fact": "level", "is": 2, "max": 3}, "exactly one operator"),
        ({"fact": "level", "is": 5}, "not a value of 'level'"),
        ({"fact": "certificate", "is": 1}, "not a value of 'certificate'"),
        ({"fact": "category", "in": ["vision", "taste"]}, "not values of 'category'"),
        ({"fact": "hukou", "in": []}, "at least one value"),
        ({"fact": "hukou", "min": 1}, "min/max only apply"),
        ({"fact": "age", "min": 60, "max": 16}, "above max"),
        ({"fact": "district", "is": "110101"}, "not a value of 'district'"),
        ({"any": []}, "at least 1 item"),
        ({"none": []}, "exactly one of: all, any, fact"),
        ({"all": [], "fact": "age"}, "exactly one of: all, any, fact"),
    ],
)
def test_a_rule_that_cannot_be_understood_says_why(when: dict[str, Any], problem: str) -> None:
    with pytest.raises(RuleError, match="rule rule-x") as caught:
        parse_rule({"id": "rule-x", "service_id": "svc-x", "when": when})
    assert problem in str(caught.value)


def test_unknown_extra_keys_are_ignored() -> None:
    rule = parse_rule(
        {
            "id": "rule-x",
            "service_id": "svc-x",
            "when": {"all": [{"fact": "age", "min": 60, "note": "老年人"}], "label": "x"},
            "summary": "future field",
        }
    )
    assert rule.when == AllOf(all=[Leaf(fact="age", min=60)])
