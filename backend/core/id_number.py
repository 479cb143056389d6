"""Resident ID numbers (GB 11643-1999): 17 digits, then a check character.

The check character is ``sum(digit_i * weight_i) mod 11`` looked up in ``CHECK_CHARS``; the
digits at positions 7-14 are the birth date. Only the shape is checked here: whether the number
belongs to the person is for staff to verify.
"""

from datetime import date

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
LENGTH = 18


def check_char(first_17: str) -> str:
    """The check character that completes 17 ASCII digits."""
    return CHECK_CHARS[sum(int(d) * w for d, w in zip(first_17, WEIGHTS, strict=True)) % 11]


def normalise_id_number(value: str, today: date) -> str:
    """The ID number with an upper-case check ``X``; ValueError saying what is wrong otherwise.

    ``today`` bounds the birth date (a person is not born in the future).
    """
    text = value.strip().upper()
    if len(text) != LENGTH:
        raise ValueError(f"an ID number has {LENGTH} characters, not {len(text)}")
    body, last = text[:17], text[17]
    # isascii: str.isdigit() also accepts digits of other scripts, such as ١٢٣.
    if not (body.isascii() and body.isdigit()) or last not in "0123456789X":
        raise ValueError("an ID number is 17 digits and then a digit or X")
    try:
        born = date(int(body[6:10]), int(body[10:12]), int(body[12:14]))
    except ValueError:
        raise ValueError("characters 7-14 of an ID number must be a real birth date") from None
    if born > today:
        raise ValueError("the birth date in the ID number is in the future")
    if check_char(body) != last:
        raise ValueError("the check character of the ID number is wrong; check for a typo")
    return text
