"""Facts a person states: checked before queueing, and shown merged before the server answers."""

from __future__ import annotations

from typing import Any

import pytest

from app.features import OUTBOX_KINDS
from services.account.kinds import PROFILE_EDIT
from services.errors import InputError
from services.validation import clean_fact_changes


@pytest.mark.parametrize(
    ("changes", "cleaned"),
    [
        ({"hukou": "shanghai", "certificate": True}, {"hukou": "shanghai", "certificate": True}),
        ({"level": 2, "student": False}, {"level": 2, "student": False}),
        ({"level": " 3 "}, {"level": 3}),
        ({"level": "２"}, {"level": 2}),
        ({"district": " 310 101 "}, {"district": "310101"}),
        ({"district": "３１０１０４"}, {"district": "310104"}),
        ({"low_income": None, "category": None}, {"low_income": None, "category": None}),
        ({}, {}),
    ],
)
def test_good_facts_are_cleaned(changes: dict[str, Any], cleaned: dict[str, Any]) -> None:
    assert clean_fact_changes(changes) == cleaned


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"level": 5}, "level", "fact_invalid"),
        ({"level": True}, "level", "fact_invalid"),
        ({"level": "two"}, "level", "fact_invalid"),
        ({"certificate": "yes"}, "certificate", "fact_invalid"),
        ({"certificate": 1}, "certificate", "fact_invalid"),
        ({"student": 0}, "student", "fact_invalid"),
        ({"hukou": "beijing"}, "hukou", "fact_invalid"),
        ({"category": "blind"}, "category", "fact_invalid"),
        ({"low_income": "poor"}, "low_income", "fact_invalid"),
        ({"employment": "student"}, "employment", "fact_invalid"),
        ({"district": "110101"}, "district", "district_invalid"),
        ({"district": 310101}, "district", "district_invalid"),
    ],
)
def test_bad_facts_are_refused_with_a_reason(
    changes: dict[str, Any], field: str, code: str
) -> None:
    with pytest.raises(InputError) as caught:
        clean_fact_changes(changes)
    assert (caught.value.field, caught.value.code) == (field, code)


@pytest.mark.parametrize("name", ["age", "birth_date", "address", "pets"])
def test_only_editable_facts_may_be_changed(name: str) -> None:
    with pytest.raises(ValueError, match="not an editable fact"):
        clean_fact_changes({name: 1})


def test_a_queued_facts_edit_is_merged_into_the_shown_profile() -> None:
    snapshots: dict[str, Any] = {
        "me": {
            "address": "旧",
            "version": 4,
            "facts": {
                "hukou": "shanghai",
                "level": 2,
                "low_income": None,
                "birth_date": "1955-03-12",
            },
        }
    }
    overlay = OUTBOX_KINDS[PROFILE_EDIT].overlay

    overlay(
        snapshots, {"changes": {"facts": {"level": None, "low_income": "dibao"}}, "base_version": 4}
    )
    overlay(snapshots, {"changes": {"address": "新"}, "base_version": 4})

    assert snapshots["me"] == {
        "address": "新",
        "version": 4,
        "facts": {
            "hukou": "shanghai",
            "level": None,
            "low_income": "dibao",
            "birth_date": "1955-03-12",
        },
    }


def test_a_facts_edit_on_a_profile_from_before_facts_existed() -> None:
    snapshots: dict[str, Any] = {"me": {"address": "旧", "version": 1}}

    OUTBOX_KINDS[PROFILE_EDIT].overlay(
        snapshots, {"changes": {"facts": {"student": True}}, "base_version": 1}
    )

    assert snapshots["me"]["facts"] == {"student": True}
    assert OUTBOX_KINDS[PROFILE_EDIT].request(
        {"changes": {"facts": {"student": True}}, "base_version": 1}
    ).json == {"facts": {"student": True}}
