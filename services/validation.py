"""Check what a person typed before anything is sent, with a reason a sentence can explain.

Forgiving where it costs nothing: full-width digits (from a Chinese IME), spaces, dashes and a
+86 prefix are accepted, because that is how people copy and say phone numbers.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from services.errors import InputError
from services.matching.facts import EDITABLE_FACTS, is_valid_value

PHONE_LENGTH = 11
CODE_LENGTH = 6
CONTACT_LIMITS = {"address": 200, "emergency_contact": 100}  # the server's limits

_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212()（）]+")  # hyphens and dashes of all kinds
_LINE_BREAKS = re.compile(r"[\t\r\n\v\f]+")
# Other control characters, and the bidirectional overrides that can disguise text.
_INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _digits_text(text: str) -> str:
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text))


def normalise_phone(text: str) -> str:
    phone = _digits_text(text)
    if not phone:
        raise InputError("phone", "phone_empty")
    if phone.startswith("+86"):
        phone = phone[3:]
    elif phone.startswith("0086") and len(phone) == PHONE_LENGTH + 4:
        phone = phone[4:]
    if not phone:  # only a country code
        raise InputError("phone", "phone_empty")
    elif phone.startswith("86") and len(phone) == PHONE_LENGTH + 2:
        phone = phone[2:]
    if not phone.isdigit() or not phone.isascii():
        raise InputError("phone", "phone_not_digits")
    if len(phone) != PHONE_LENGTH:
        raise InputError("phone", "phone_length", typed=len(phone))
    if phone[0] != "1" or phone[1] not in "3456789":
        raise InputError("phone", "phone_prefix")
    return phone


def normalise_code(text: str) -> str:
    code = _digits_text(text)
    if not code:
        raise InputError("code", "code_empty")
    if not code.isdigit() or not code.isascii():
        raise InputError("code", "code_not_digits")
    if len(code) != CODE_LENGTH:
        raise InputError("code", "code_length", typed=len(code))
    return code


def clean_contact_changes(changes: dict[str, str]) -> dict[str, str | None]:
    """Trimmed contact fields; an empty field clears it. Unknown fields are a programming error."""
    cleaned: dict[str, str | None] = {}
    for name, value in changes.items():
        if name not in CONTACT_LIMITS:
            raise ValueError(f"not a contact field: {name}")
        text = _LINE_BREAKS.sub(" ", unicodedata.normalize("NFC", value))
        text = _INVISIBLE.sub("", text).strip()
        if len(text) > CONTACT_LIMITS[name]:
            raise InputError(name, f"{name}_too_long", limit=CONTACT_LIMITS[name])
        cleaned[name] = text or None
    return cleaned


def clean_fact_changes(changes: dict[str, Any]) -> dict[str, Any]:
    """Facts to send in ``PATCH /me``: each valid for its fact, or None to forget it.

    Forgiving like the rest of this module: a district code typed with spaces or full-width
    digits, and a level given as text ("2"), are accepted. A wrong value is an
    :class:`InputError` (``fact_invalid``, or ``district_invalid``); a name that is not an
    editable fact is a programming error (``ValueError``): ``age`` comes from the ID number.
    """
    cleaned: dict[str, Any] = {}
    for name, value in changes.items():
        if name not in EDITABLE_FACTS:
            raise ValueError(f"not an editable fact: {name}")
        if value is None:
            cleaned[name] = None
            continue
        if name == "district" and isinstance(value, str):
            value = _digits_text(value)
        elif name == "level" and isinstance(value, str) and _digits_text(value).isdigit():
            value = int(_digits_text(value))
        if not is_valid_value(name, value):
            raise InputError(name, "district_invalid" if name == "district" else "fact_invalid")
        cleaned[name] = value
    return cleaned
