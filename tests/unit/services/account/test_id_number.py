"""Citizen ID numbers (GB 11643) are checked before a volunteer registration is queued.

17 digits, then a check character (0-9 or X) over them; characters 7-14 are the birth date. A slip
of one digit is caught by the check character, so the person hears it at once instead of after
the server refuses the form. Spaces, dashes, full-width characters and a lower-case x are
forgiven, as with phone numbers.
"""

from __future__ import annotations

from datetime import date

import pytest

from services.errors import InputError
from services.validation import ID_CHECK_CHARS, ID_WEIGHTS, id_check_char, normalise_id_number

TODAY = date(2026, 11, 20)
FULL_WIDTH = str.maketrans("0123456789Xx", "０１２３４５６７８９Ｘｘ")

VALID = [
    "310104199001011233",  # the demo volunteer 李志愿's
    "11010519491231002X",  # the standard's own example
    "31010119850615018X",
    "440524188001010014",
    "310115200002290013",  # born on a leap day
    "310101202611200010",  # born today
]


def refusal(text: str) -> tuple[str, str, dict[str, int]]:
    with pytest.raises(InputError) as caught:
        normalise_id_number(text, TODAY)
    return caught.value.field, caught.value.code, caught.value.params


def check_char(first_17: str) -> str:
    """GB 11643's check character, computed here independently of the code under test."""
    total = 0
    for position, digit in enumerate(first_17):
        total += int(digit) * (2 ** (17 - position) % 11)  # the weights are 2^(i-1) mod 11
    return "10X98765432"[total % 11]


def test_the_weights_and_check_characters_are_the_standards():
    assert tuple(2 ** (17 - i) % 11 for i in range(17)) == ID_WEIGHTS
    assert ID_CHECK_CHARS == "10X98765432"
    for number in VALID:
        assert check_char(number[:17]) == number[17] == id_check_char(number[:17])


@pytest.mark.parametrize("number", VALID)
def test_valid_numbers_are_accepted_as_they_are(number: str):
    assert normalise_id_number(number, TODAY) == number


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("11010519491231002x", "11010519491231002X"),  # a lower-case x is stored upper-case
        ("31010119850615018x", "31010119850615018X"),
        ("  310104199001011233  ", "310104199001011233"),
        ("310104 19900101 1233", "310104199001011233"),  # grouped as printed on the card
        ("310104-19900101-1233", "310104199001011233"),
        ("310104\u300019900101\u30001233", "310104199001011233"),  # ideographic spaces
        ("310104199001011233".translate(FULL_WIDTH), "310104199001011233"),  # full-width digits
        ("11010519491231002x".translate(FULL_WIDTH), "11010519491231002X"),  # full-width ｘ
        ("11010519491231002Ｘ", "11010519491231002X"),
    ],
)
def test_numbers_people_type_are_normalised(typed: str, number: str):
    assert normalise_id_number(typed, TODAY) == number


@pytest.mark.parametrize("typed", ["", "   ", "\u3000", " - "])
def test_nothing_typed_is_id_number_empty(typed: str):
    assert refusal(typed) == ("id_number", "id_number_empty", {})


@pytest.mark.parametrize(
    "typed",
    [
        "31010419900101123A",  # a letter other than X
        "X10104199001011233",  # X anywhere but at the end
        "3101041990010112X3",
        "310104.19900101.1233",
        "31010419900101123٣",  # an Arabic-Indic digit
        "身份证310104199001011233",
        "XX",
    ],
)
def test_other_characters_are_id_number_chars(typed: str):
    assert refusal(typed) == ("id_number", "id_number_chars", {})


@pytest.mark.parametrize(
    ("typed", "length"),
    [
        ("3101041990010112", 16),
        ("31010419900101123", 17),  # the check character forgotten
        ("3101041990010112333", 19),
        ("310104900101123", 15),  # an old 15-digit number
        ("1", 1),
        ("X", 1),
        ("3101041990010112".translate(FULL_WIDTH), 16),  # counted after normalising
    ],
)
def test_a_wrong_length_says_how_many_were_typed(typed: str, length: int):
    assert refusal(typed) == ("id_number", "id_number_length", {"typed": length})


@pytest.mark.parametrize(
    "first_17",
    [
        "31010419901301123",  # month 13
        "31010419900001123",  # month 0
        "31010419900230123",  # 30 February
        "31010419000229123",  # 1900 was no leap year
        "31010419900100123",  # day 0
        "31010400000101123",  # year 0
        "31010420261121001",  # tomorrow
        "31010430000101001",  # far in the future
    ],
)
def test_a_birth_date_that_is_no_real_past_date_is_id_number_birth_date(first_17: str):
    number = first_17 + check_char(first_17)  # the check character fits: only the date is wrong
    assert refusal(number) == ("id_number", "id_number_birth_date", {})


@pytest.mark.parametrize("number", VALID)
def test_every_single_slip_is_caught_by_the_check_character(number: str):
    for position in range(17):
        for digit in "0123456789":
            if digit == number[position]:
                continue
            slipped = number[:position] + digit + number[position + 1 :]
            try:
                normalise_id_number(slipped, TODAY)
            except InputError as exc:
                assert exc.code in {"id_number_check_digit", "id_number_birth_date"}
            else:
                pytest.fail(f"{slipped} accepted")


@pytest.mark.parametrize("number", VALID)
def test_a_wrong_check_character_is_id_number_check_digit(number: str):
    for wrong in set(ID_CHECK_CHARS) - {number[17]}:
        assert refusal(number[:17] + wrong) == ("id_number", "id_number_check_digit", {})


def test_swapping_two_neighbouring_digits_is_caught():
    number = "310104199001011233"
    swapped = number[:14] + number[15] + number[14] + number[16:]  # 1233 -> 2133
    assert refusal(swapped)[1] == "id_number_check_digit"


def test_the_birth_date_is_checked_against_today_by_default():
    assert normalise_id_number("310104199001011233") == "310104199001011233"
    future = "31010430000101001"
    with pytest.raises(InputError) as caught:
        normalise_id_number(future + check_char(future))
    assert caught.value.code == "id_number_birth_date"
