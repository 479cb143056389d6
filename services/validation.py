"""Check what a person typed before anything is sent, with a reason a sentence can explain.

Forgiving where it costs nothing: full-width digits (from a Chinese IME), spaces, dashes and a
+86 prefix are accepted, because that is how people copy and say phone numbers.
"""

from __future__ import annotations

import re
import unicodedata

from services.errors import InputError

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
