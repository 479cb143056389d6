"""Sentences for matches (English rendering; zh_CN is checked once translated) and questions."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from app.i18n import set_language
from app.matching.messages import (
    FACT_QUESTIONS,
    condition_phrase,
    fact_error_sentence,
    fact_label,
    match_sentence,
    value_label,
    value_phrase,
)
from app.words import join_and, join_or
from backend.demo_users import RESIDENT_BIRTH_DATE, RESIDENT_FACTS
from services.errors import InputError
from services.matching import (
    EDITABLE_FACTS,
    FACT_NAMES,
    FACT_VALUES,
    Eligibility,
    Facts,
    Leaf,
    Match,
    match_rule,
    match_services,
    parse_rule,
)
from tests import paths

SEED = paths.REPO_ROOT / "assets" / "seed"
DISTRICTS = {"310101": "黄浦区", "310104": "徐汇区"}


pytestmark = pytest.mark.usefixtures("english")


def when(condition: dict[str, Any], facts: Facts) -> Match:
    return match_rule(parse_rule({"id": "rule-x", "service_id": "svc-x", "when": condition}), facts)


def every_leaf() -> list[Leaf]:
    """One leaf of every form on every fact, every value included."""
    found = []
    for fact in FACT_NAMES:
        values = FACT_VALUES[fact] or ([30, 60] if fact == "age" else ["310101", "310151"])
        found += [Leaf.model_validate({"fact": fact, "is": v}) for v in values]
        found.append(Leaf.model_validate({"fact": fact, "in": list(values)}))
        if fact in ("age", "level"):
            low, high = (16, 59) if fact == "age" else (2, 3)
            found += [Leaf(fact=fact, min=low), Leaf(fact=fact, max=high)]
            found += [Leaf(fact=fact, min=low, max=high), Leaf(fact=fact, min=high, max=high)]
    return found


@pytest.mark.parametrize("leaf", every_leaf(), ids=lambda leaf: json.dumps(leaf.to_data()))
def test_every_condition_has_a_phrase(leaf: Leaf) -> None:
    phrase = condition_phrase(leaf, DISTRICTS)
    assert phrase.strip() and "{" not in phrase
    if leaf.op == "is":
        assert value_phrase(leaf.fact, leaf.is_, DISTRICTS) == phrase


@pytest.mark.parametrize(
    ("leaf", "phrase"),
    [
        ({"fact": "hukou", "is": "shanghai"}, "Shanghai household registration"),
        ({"fact": "certificate", "is": True}, "holding a disability certificate"),
        (
            {"fact": "category", "in": ["vision", "hearing"]},
            "a visual disability or a hearing disability",
        ),
        ({"fact": "level", "max": 2}, "disability level 1 or 2"),
        ({"fact": "level", "in": [1, 2, 3]}, "disability level 1, 2, or 3"),
        ({"fact": "age", "min": 16, "max": 59}, "aged 16 to 59"),
        ({"fact": "age", "min": 60}, "aged 60 or over"),
        ({"fact": "age", "max": 6}, "aged 6 or under"),
        (
            {"fact": "low_income", "in": ["dibao", "low_income"]},
            "receiving dibao or in a low-income household",
        ),
        ({"fact": "employment", "is": "unemployed"}, "not currently working"),
        ({"fact": "student", "is": True}, "a student"),
        ({"fact": "district", "in": ["310101", "310104"]}, "living in 黄浦区 or 徐汇区"),
        ({"fact": "district", "is": "310151"}, "living in 310151"),  # name not known: the code
    ],
)
def test_conditions_in_words(leaf: dict[str, Any], phrase: str) -> None:
    assert condition_phrase(Leaf.model_validate(leaf), DISTRICTS) == phrase


def test_granted() -> None:
    match = Match(
        "svc-transport-subsidy",
        Eligibility.GRANTED,
        benefit={"title": "残疾人交通补贴", "description": "Paid automatically each month."},
    )
    assert match_sentence(match) == "Granted to you: Paid automatically each month."
    no_reason = Match(
        "svc-t", Eligibility.GRANTED, benefit={"title": "Bus pass", "description": None}
    )
    assert match_sentence(no_reason) == "Granted to you: Bus pass"


def test_granted_does_not_say_no_application_needed_twice() -> None:
    set_language("zh_CN")
    match = Match(
        "svc-transport-subsidy",
        Eligibility.GRANTED,
        benefit={"title": "残疾人交通补贴", "description": "按规定自动发放，无需申请。"},
    )
    sentence = match_sentence(match)
    assert sentence == "已为您办理：按规定自动发放，无需申请。"
    assert sentence.count("无需申请") == 1


@pytest.mark.parametrize(
    ("status", "zh", "en"),
    [
        (
            "in_review",
            "已申请，审核中（2025年3月23日提交）。",
            "Applied, in review (submitted March 23, 2025).",
        ),
        (
            "submitted",
            "已申请，已提交（2025年3月23日提交）。",
            "Applied, submitted (submitted March 23, 2025).",
        ),
        (
            "completed",
            "已申请，已办结（2025年3月23日提交）。",
            "Applied, completed (submitted March 23, 2025).",
        ),
    ],
)
def test_applied_says_the_records_state_and_when(status: str, zh: str, en: str) -> None:
    record = {"service_id": "svc-severe-care-subsidy", "status": status}
    record["submitted_at"] = "2025-03-23T02:00:00+00:00"
    match = Match("svc-severe-care-subsidy", Eligibility.APPLIED, record=record)
    assert match_sentence(match) == en
    set_language("zh_CN")
    assert match_sentence(match) == zh


def test_eligible() -> None:
    match = when(
        {"all": [{"fact": "hukou", "is": "shanghai"}, {"fact": "level", "max": 2}]},
        Facts(hukou="shanghai", level=1),
    )
    assert match_sentence(match) == (
        "You qualify: Shanghai household registration and disability level 1 or 2."
    )
    assert (
        match_sentence(when({"all": []}, Facts())) == "Open to everyone: there are no conditions."
    )


def test_several_met_conditions_on_one_fact_are_said_once() -> None:
    match = when(
        {"all": [{"fact": "level", "max": 3}, {"any": [{"fact": "level", "max": 2}]}]},
        Facts(level=2),
    )
    assert match_sentence(match) == "You qualify: disability level 1 or 2."
    ages = when({"all": [{"fact": "age", "min": 16}, {"fact": "age", "max": 59}]}, Facts(age=30))
    assert match_sentence(ages) == "You qualify: aged 16 to 59."


def test_maybe() -> None:
    rule = {
        "all": [
            {"fact": "certificate", "is": True},
            {"fact": "level", "max": 2},
            {"fact": "student", "is": True},
        ]
    }
    assert match_sentence(when(rule, Facts(certificate=True))) == (
        "You may qualify (holding a disability certificate); we still need to know: "
        "your disability level and whether you are a student."
    )
    assert match_sentence(when(rule, Facts())) == (
        "You may qualify; we still need to know: whether you hold a disability certificate, "
        "your disability level, and whether you are a student."
    )


def test_not_eligible_names_each_requirement_and_the_persons_value() -> None:
    single = when({"fact": "age", "max": 6}, Facts(age=70))
    assert (
        match_sentence(single) == "You do not qualify. Required: aged 6 or under (yours: aged 70)."
    )

    both = when(
        {
            "all": [
                {"fact": "age", "min": 16, "max": 59},
                {"fact": "employment", "is": "unemployed"},
            ]
        },
        Facts(age=70, employment="retired"),
    )
    assert match_sentence(both) == (
        "You do not qualify. Required: aged 16 to 59 (yours: aged 70) and "
        "not currently working (yours: retired)."
    )

    either = when(
        {"any": [{"fact": "level", "max": 2}, {"fact": "category", "is": "intellectual"}]},
        Facts(level=3, category="physical"),
    )
    assert match_sentence(either) == (
        "You do not qualify. Required: disability level 1 or 2 (yours: disability level 3) or "
        "an intellectual disability (yours: a physical disability)."
    )

    district = when({"fact": "district", "is": "310104"}, Facts(district="310101"))
    assert match_sentence(district, DISTRICTS) == (
        "You do not qualify. Required: living in 徐汇区 (yours: living in 黄浦区)."
    )


def test_no_rule_known() -> None:
    assert match_sentence(Match("svc-x", Eligibility.UNKNOWN_RULE)) == (
        "We cannot check this service for you yet. Please ask at a service point."
    )


def test_every_seed_match_for_the_demo_resident_has_a_whole_sentence() -> None:
    services = json.loads((SEED / "services.json").read_text(encoding="utf-8"))
    rules = json.loads((SEED / "rules.json").read_text(encoding="utf-8"))
    facts = Facts.from_profile(
        {**RESIDENT_FACTS, "birth_date": RESIDENT_BIRTH_DATE},
        date(2026, 3, 1),
    )
    benefit = {"service_id": "svc-transport-subsidy", "status": "active", "description": "auto"}
    for match in match_services(services, rules, facts, [benefit]):
        sentence = match_sentence(match, DISTRICTS)
        assert sentence.strip() and "{" not in sentence and "None" not in sentence, match
    care = next(
        m
        for m in match_services(services, rules, facts)
        if m.service_id == "svc-severe-care-subsidy"
    )
    assert match_sentence(care) == (
        "You qualify: Shanghai household registration, holding a disability certificate, "
        "and disability level 1 or 2."
    )


def test_lists_follow_the_language() -> None:
    assert join_and(["A", "B", "C"]) == "A, B, and C"
    assert join_or(["A", "B"]) == "A or B"
    set_language("zh_CN")
    assert join_and(["甲", "乙", "丙"]) == "甲、乙和丙"
    assert join_or(["甲", "乙"]) == "甲或乙"


# -- questions ---------------------------------------------------------------------------------


def test_there_is_one_question_per_fact_and_closed_facts_offer_every_value() -> None:
    assert tuple(FACT_QUESTIONS) == FACT_NAMES
    for fact, question in FACT_QUESTIONS.items():
        assert question.fact == fact and question.label and question.question
        if fact in ("age", "district"):
            assert question.choices == ()
        else:
            assert [value for value, _label in question.choices] == list(FACT_VALUES[fact])
            assert all(label.strip() for _value, label in question.choices)
        assert question.editable == (fact in EDITABLE_FACTS)
    assert FACT_QUESTIONS["age"].hint


def test_labels() -> None:
    assert fact_label("level") == "your disability level"
    assert value_label("level", 2) == "Level 2"
    assert value_label("certificate", False) == "No"
    assert value_label("district", "310104", DISTRICTS) == "徐汇区"


@pytest.mark.parametrize(
    ("code", "sentence"),
    [
        ("fact_invalid", "Please choose one of the answers offered."),
        ("district_invalid", "Please choose your district from the list."),
        ("nothing_changed", "Nothing was changed."),
    ],
)
def test_fact_input_errors(code: str, sentence: str) -> None:
    assert fact_error_sentence(InputError("level", code)) == sentence
