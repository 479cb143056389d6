"""What a person types is checked before sending, with a reason a sentence can explain.

services/validation.py: phone numbers and codes are forgiving of how people copy and say them
(spaces, dashes, +86, full-width digits from a Chinese IME); contact fields are trimmed and
cleaned and held to the server's limits.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from services.errors import InputError
from services.validation import (
    CODE_LENGTH,
    CONTACT_LIMITS,
    PHONE_LENGTH,
    clean_contact_changes,
    normalise_code,
    normalise_phone,
)

try:
    from hypothesis import given, settings
    from hypothesis import strategies as st
except ImportError:  # an optional dev tool; the table-driven tests below cover the same ground
    given = None

FULL_WIDTH = str.maketrans("0123456789+-", "０１２３４５６７８９＋－")


def full_width(text: str) -> str:
    """As a Chinese IME in full-width mode types it."""
    return text.translate(FULL_WIDTH)


VALID_PHONE = re.compile(r"1[3-9][0-9]{9}")
VALID_CODE = re.compile(r"[0-9]{6}")


def refusal(call: Any, text: str) -> tuple[str, str, dict[str, int]]:
    with pytest.raises(InputError) as caught:
        call(text)
    return caught.value.field, caught.value.code, caught.value.params


# -- phone numbers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "phone"),
    [
        ("13800000001", "13800000001"),
        ("138 0000 0001", "13800000001"),
        ("  13800000001  ", "13800000001"),
        ("138\t0000\n0001", "13800000001"),
        ("138-0000-0001", "13800000001"),
        ("(138) 0000-0001", "13800000001"),
        ("（138）0000 0001", "13800000001"),  # full-width brackets
        ("138－0000－0001", "13800000001"),  # full-width hyphen
        ("138\u30000000\u30000001", "13800000001"),  # ideographic space
        ("+86 138 0000 0001", "13800000001"),
        ("+8613800000001", "13800000001"),
        ("+86-138-0000-0001", "13800000001"),
        ("＋８６ １３８ ００００ 0001", "13800000001"),  # full-width and half-width mixed
        ("8613800000001", "13800000001"),  # 86 and 11 digits: 13 in all
        ("86 138 0000 0001", "13800000001"),
        (full_width("13800000001"), "13800000001"),  # full-width digits
        (full_width("+86 138-0000-0001"), "13800000001"),
        ("0086 138 0000 0001", "13800000001"),  # the international prefix spelled out
        ("138\u20130000\u20140001", "13800000001"),  # en and em dashes
        ("138\u22120000\u22120001", "13800000001"),  # minus signs
        ("19912345678", "19912345678"),
        ("14700000000", "14700000000"),
    ],
)
def test_phone_numbers_people_type_are_accepted(typed: str, phone: str):
    assert normalise_phone(typed) == phone


@pytest.mark.parametrize(
    ("typed", "code", "params"),
    [
        ("", "phone_empty", {}),
        ("   ", "phone_empty", {}),
        (" - ( ) ", "phone_empty", {}),
        ("\u3000", "phone_empty", {}),
        ("+86", "phone_empty", {}),  # only the country code
        ("138abc00001", "phone_not_digits", {}),
        ("13800000001x", "phone_not_digits", {}),
        ("phone", "phone_not_digits", {}),
        ("138.0000.0001", "phone_not_digits", {}),  # dots are not separators
        ("١٣٨٠٠٠٠٠٠٠١", "phone_not_digits", {}),  # Arabic-Indic digits: not what was meant
        ("+1 13800000001", "phone_not_digits", {}),  # another country code
        ("1380000000", "phone_length", {"typed": 10}),
        ("138000000012", "phone_length", {"typed": 12}),
        ("1", "phone_length", {"typed": 1}),
        ("+86 1380000000", "phone_length", {"typed": 10}),  # counted after the +86
        (full_width("1380000000"), "phone_length", {"typed": 10}),
        ("86138000000012", "phone_length", {"typed": 14}),  # too long to be 86 + a phone
        ("12800000001", "phone_prefix", {}),  # second digit 2
        ("11800000001", "phone_prefix", {}),
        ("10800000001", "phone_prefix", {}),
        ("23800000001", "phone_prefix", {}),  # not 1 first
        ("86138000000", "phone_prefix", {}),  # 11 digits starting 86: not stripped
    ],
)
def test_phone_numbers_are_refused_with_a_reason(typed: str, code: str, params: dict[str, int]):
    assert refusal(normalise_phone, typed) == ("phone", code, params)


def test_phone_length_counts_what_was_typed_for_every_length():
    for length in range(1, 16):
        if length in (PHONE_LENGTH, PHONE_LENGTH + 2):
            continue  # 13 digits would be read as 86 + a phone (if it starts with 86)
        typed = "1" + "3" * (length - 1)
        assert refusal(normalise_phone, typed) == ("phone", "phone_length", {"typed": length})


# -- one-time codes -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("246810", "246810"),
        ("000000", "000000"),
        (" 246810 ", "246810"),
        ("246 810", "246810"),
        ("246-810", "246810"),
        (full_width("246810"), "246810"),  # full-width digits
        ("２４６ ８１０", "246810"),
    ],
)
def test_codes_people_type_are_accepted(typed: str, code: str):
    assert normalise_code(typed) == code


@pytest.mark.parametrize(
    ("typed", "code", "params"),
    [
        ("", "code_empty", {}),
        ("  ", "code_empty", {}),
        ("12345", "code_length", {"typed": 5}),
        ("1234567", "code_length", {"typed": 7}),
        (full_width("12345"), "code_length", {"typed": 5}),
        ("1", "code_length", {"typed": 1}),
        ("12a456", "code_not_digits", {}),
        ("abcdef", "code_not_digits", {}),
        ("12345６x", "code_not_digits", {}),
        ("١٢٣٤٥٦", "code_not_digits", {}),
        ("+123456", "code_not_digits", {}),
    ],
)
def test_codes_are_refused_with_a_reason(typed: str, code: str, params: dict[str, int]):
    assert refusal(normalise_code, typed) == ("code", code, params)


def test_the_lengths_are_the_contracts():
    assert (PHONE_LENGTH, CODE_LENGTH) == (11, 6)


# -- contact fields -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "cleaned"),
    [
        ({"address": "上海市黄浦区 1 号"}, {"address": "上海市黄浦区 1 号"}),
        ({"address": "  上海市黄浦区 1 号\n"}, {"address": "上海市黄浦区 1 号"}),
        ({"address": "\u3000上海\u3000"}, {"address": "上海"}),  # ideographic spaces trimmed
        ({"address": "上海\x00市\x07黄浦区\x1b"}, {"address": "上海市黄浦区"}),
        ({"address": "a\x7fb"}, {"address": "ab"}),
        ({"emergency_contact": "王小明\t13911112222"}, {"emergency_contact": "王小明 13911112222"}),
        ({"address": "黄浦区\u202e号1"}, {"address": "黄浦区号1"}),  # a bidi override removed
        ({"address": "a\x85b"}, {"address": "ab"}),  # C1 control removed
        ({"address": ""}, {"address": None}),
        ({"address": "   "}, {"address": None}),
        ({"address": "\x00\x01\x02"}, {"address": None}),
        ({"emergency_contact": " \n "}, {"emergency_contact": None}),
        ({"address": "e\u0301"}, {"address": "\u00e9"}),  # NFC: one character, as stored
        (
            {"address": " 新地址 ", "emergency_contact": "王小明"},
            {"address": "新地址", "emergency_contact": "王小明"},
        ),
        ({}, {}),
    ],
)
def test_contact_fields_are_trimmed_and_cleaned(
    changes: dict[str, str], cleaned: dict[str, str | None]
):
    assert clean_contact_changes(changes) == cleaned


@pytest.mark.parametrize("field", sorted(CONTACT_LIMITS))
def test_contact_fields_up_to_the_limit_are_accepted(field: str):
    limit = CONTACT_LIMITS[field]
    assert clean_contact_changes({field: "字" * limit}) == {field: "字" * limit}
    # the limit applies to what is kept, after trimming and cleaning
    padded = "  " + "字" * limit + "\x00  "
    assert clean_contact_changes({field: padded}) == {field: "字" * limit}
    # and counts characters after NFC composition, as the server does
    assert clean_contact_changes({field: "e\u0301" * limit}) == {field: "\u00e9" * limit}


@pytest.mark.parametrize("field", sorted(CONTACT_LIMITS))
def test_contact_fields_over_the_limit_are_refused_with_the_limit(field: str):
    limit = CONTACT_LIMITS[field]
    with pytest.raises(InputError) as caught:
        clean_contact_changes({field: "字" * (limit + 1)})
    assert (caught.value.field, caught.value.code, caught.value.params) == (
        field,
        f"{field}_too_long",
        {"limit": limit, "typed": limit + 1},
    )


def test_the_limits_are_the_servers():
    assert CONTACT_LIMITS == {"address": 200, "emergency_contact": 100}


@pytest.mark.parametrize("field", ["name", "phone", "id_number", "Address", ""])
def test_an_unknown_field_is_a_programming_error(field: str):
    with pytest.raises(ValueError, match="not a contact field"):
        clean_contact_changes({"address": "ok", field: "x"})


# -- properties: any text at all is either accepted as valid or refused with a reason ------------

if given is not None:

    @settings(max_examples=500, database=None, deadline=None)
    @given(st.text())
    def test_any_text_gives_a_valid_phone_or_an_input_error(text: str):
        try:
            phone = normalise_phone(text)
        except InputError as exc:
            assert exc.field == "phone"
            assert exc.code in {"phone_empty", "phone_not_digits", "phone_length", "phone_prefix"}
        else:
            assert VALID_PHONE.fullmatch(phone), phone

    @settings(max_examples=300, database=None, deadline=None)
    @given(
        st.lists(
            st.sampled_from(["1", "3", "8", "0", "８", "６", "+", "-", " ", "\u3000", "a"]),
            max_size=18,
        ).map("".join)
    )
    def test_phone_like_text_gives_a_valid_phone_or_an_input_error(text: str):
        try:
            phone = normalise_phone(text)
        except InputError as exc:
            assert exc.field == "phone"
            if exc.code == "phone_length":
                assert exc.params["typed"] != PHONE_LENGTH
        else:
            assert VALID_PHONE.fullmatch(phone), phone

    @settings(max_examples=500, database=None, deadline=None)
    @given(st.text())
    def test_any_text_gives_a_valid_code_or_an_input_error(text: str):
        try:
            code = normalise_code(text)
        except InputError as exc:
            assert exc.field == "code"
            assert exc.code in {"code_empty", "code_not_digits", "code_length"}
        else:
            assert VALID_CODE.fullmatch(code), code

    @settings(max_examples=300, database=None, deadline=None)
    @given(st.sampled_from(sorted(CONTACT_LIMITS)), st.text(max_size=260))
    def test_any_contact_text_is_cleaned_within_the_limit_or_refused(field: str, text: str):
        try:
            cleaned = clean_contact_changes({field: text})[field]
        except InputError as exc:
            assert exc.code == f"{field}_too_long"
        else:
            assert cleaned is None or (
                0 < len(cleaned) <= CONTACT_LIMITS[field]
                and cleaned == cleaned.strip()
                and not re.search(r"[\x00-\x1f\x7f]", cleaned)
            )
