"""Check what a person typed before anything is sent, with a reason a sentence can explain.

Forgiving where it costs nothing: full-width digits (from a Chinese IME), spaces, dashes and a
+86 prefix are accepted, because that is how people copy and say phone numbers. Free text is
trimmed, NFC-composed and stripped of control and bidi characters before the server's limits are
counted. A refusal is ``InputError(field, code, **params)``; a value the screen could never
offer (an unknown field, skill or availability) is a programming error, ``ValueError``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from services.clock import SHANGHAI
from services.errors import InputError
from services.matching.facts import DISTRICT_PATTERN, EDITABLE_FACTS, is_valid_value

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


def clean_text(value: str) -> str:
    """Typed text as stored: NFC, line breaks as spaces, no control or bidi characters, trimmed."""
    text = _LINE_BREAKS.sub(" ", unicodedata.normalize("NFC", value))
    return _INVISIBLE.sub("", text).strip()


def clean_contact_changes(changes: dict[str, str]) -> dict[str, str | None]:
    """Trimmed contact fields; an empty field clears it. Unknown fields are a programming error."""
    cleaned: dict[str, str | None] = {}
    for name, value in changes.items():
        if name not in CONTACT_LIMITS:
            raise ValueError(f"not a contact field: {name}")
        text = clean_text(value)
        if len(text) > CONTACT_LIMITS[name]:
            raise InputError(name, f"{name}_too_long", limit=CONTACT_LIMITS[name], typed=len(text))
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


# -- 助盲出行: trips, volunteers, ratings (the server's limits) ----------------------------------

SKILLS = ("sighted_guide", "sign_language", "wheelchair")  # what a volunteer offers, a trip needs
AVAILABILITY = ("weekday_daytime", "weekday_evening", "weekend")
PLACE_LIMIT = 100
NOTES_LIMIT = 200
NAME_LIMIT = 32
COMMENT_LIMIT = 200
DISTRICTS_LIMIT = 16
STARS = range(1, 6)

# GB 11643 citizen identity numbers: 17 digits, then a check character over them.
ID_NUMBER_LENGTH = 18
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
_ID_CHARS = re.compile(r"[0-9]*X?")  # digits, and an X only at the end


def id_check_char(first_17: str) -> str:
    """The check character GB 11643 puts after these 17 digits."""
    return ID_CHECK_CHARS[sum(int(d) * w for d, w in zip(first_17, ID_WEIGHTS, strict=True)) % 11]


def normalise_id_number(text: str, today: date | None = None) -> str:
    """An 18-character ID number, check character upper-case; ``InputError("id_number", ...)``.

    Spaces, dashes and full-width characters are forgiven, and a lower-case x. Codes, in the
    order they are checked: ``id_number_empty``, ``id_number_chars`` (anything but digits and a
    final X), ``id_number_length`` (``typed=`` how many characters), ``id_number_birth_date``
    (characters 7-14 are no real date, or one after ``today``, Shanghai's by default),
    ``id_number_check_digit`` (a typing slip: the last character does not fit the others).
    """
    number = _digits_text(text).upper()
    if not number:
        raise InputError("id_number", "id_number_empty")
    if not number.isascii() or _ID_CHARS.fullmatch(number) is None:
        raise InputError("id_number", "id_number_chars")
    if len(number) != ID_NUMBER_LENGTH:
        raise InputError("id_number", "id_number_length", typed=len(number))
    birth = number[6:14]
    try:
        born = date(int(birth[:4]), int(birth[4:6]), int(birth[6:]))
    except ValueError:
        raise InputError("id_number", "id_number_birth_date") from None
    if born > (today or datetime.now(SHANGHAI).date()):
        raise InputError("id_number", "id_number_birth_date")
    if number[-1] != id_check_char(number[:-1]):
        raise InputError("id_number", "id_number_check_digit")
    return number


def normalise_district(text: str, field: str = "district") -> str:
    """A Shanghai district code (310101 ...), forgiving spaces and full-width digits."""
    code = _digits_text(text)
    if DISTRICT_PATTERN.fullmatch(code) is None:
        raise InputError(field, "district_invalid")
    return code


def _limited(value: str, field: str, code: str, limit: int) -> str:
    text = clean_text(value)
    if len(text) > limit:
        raise InputError(field, code, limit=limit, typed=len(text))
    return text


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))  # first-seen order, as chosen


def _choices(values: Iterable[str], allowed: tuple[str, ...], what: str) -> list[str]:
    """Values from a fixed set the screen offers: anything else is a programming error."""
    chosen = _unique(values)
    unknown = [v for v in chosen if v not in allowed]
    if unknown:
        raise ValueError(f"not a {what}: {unknown}")
    return chosen


def clean_places(from_place: str, to_place: str) -> tuple[str, str]:
    """Where a trip starts and ends. Codes: ``from_empty``, ``to_empty``, ``place_too_long``
    (``limit=``, on the field that is too long), ``same_place`` (on ``to_place``)."""
    start = _limited(from_place, "from_place", "place_too_long", PLACE_LIMIT)
    if not start:
        raise InputError("from_place", "from_empty")
    end = _limited(to_place, "to_place", "place_too_long", PLACE_LIMIT)
    if not end:
        raise InputError("to_place", "to_empty")
    if _same_text(start, end):
        raise InputError("to_place", "same_place")
    return start, end


def _same_text(a: str, b: str) -> bool:
    return _SEPARATORS.sub("", a).casefold() == _SEPARATORS.sub("", b).casefold()


def clean_trip_details(
    *, district: str, needs: Iterable[str], contact_phone: str, notes: str | None
) -> dict[str, Any]:
    """The rest of a trip request, as ``POST /trips`` takes it.

    Codes: ``district_invalid``, ``needs_empty``, ``need_invalid``, the phone codes of
    :func:`normalise_phone` (on the field ``contact_phone``), ``notes_too_long`` (``limit=``).
    An empty note is ``None``; a need named twice counts once.
    """
    code = normalise_district(district)
    chosen = _unique(needs)
    if not chosen:
        raise InputError("needs", "needs_empty")
    if any(need not in SKILLS for need in chosen):
        raise InputError("needs", "need_invalid")
    try:
        phone = normalise_phone(contact_phone)
    except InputError as exc:
        raise InputError("contact_phone", exc.code, **exc.params) from None
    note = _limited(notes or "", "notes", "notes_too_long", NOTES_LIMIT)
    return {"district": code, "needs": chosen, "contact_phone": phone, "notes": note or None}


def clean_volunteer_fields(
    *,
    real_name: str,
    id_number: str,
    phone: str,
    skills: Iterable[str],
    districts: Iterable[str],
    availability: Iterable[str],
    today: date | None = None,
) -> dict[str, Any]:
    """A volunteer registration, as ``POST /volunteers`` takes it.

    Codes: ``name_empty``, ``name_too_long`` (``limit=``), the ``id_number_*`` codes of
    :func:`normalise_id_number`, the phone codes of :func:`normalise_phone`, ``skills_empty``,
    ``districts_empty``, ``district_invalid`` (on ``districts``), ``districts_too_many``
    (``limit=``), ``availability_empty``. Skills and availability come from the screen's fixed
    choices: an unknown one is a ``ValueError``.
    """
    name = _limited(real_name, "real_name", "name_too_long", NAME_LIMIT)
    if not name:
        raise InputError("real_name", "name_empty")
    number = normalise_id_number(id_number, today)
    mobile = normalise_phone(phone)
    chosen_skills = _choices(skills, SKILLS, "skill")
    if not chosen_skills:
        raise InputError("skills", "skills_empty")
    codes = _unique(normalise_district(d, "districts") for d in districts)
    if not codes:
        raise InputError("districts", "districts_empty")
    if len(codes) > DISTRICTS_LIMIT:
        raise InputError("districts", "districts_too_many", limit=DISTRICTS_LIMIT)
    times = _choices(availability, AVAILABILITY, "availability")
    if not times:
        raise InputError("availability", "availability_empty")
    return {
        "real_name": name,
        "id_number": number,
        "phone": mobile,
        "skills": chosen_skills,
        "districts": codes,
        "availability": times,
    }


def clean_rating(stars: int, comment: str | None) -> dict[str, Any]:
    """``{"stars", "comment"}`` for ``POST /trips/{id}/rate``. Codes: ``stars_invalid`` (not a
    whole number 1-5), ``comment_too_long`` (``limit=``). An empty comment is ``None``."""
    if isinstance(stars, bool) or not isinstance(stars, int) or stars not in STARS:
        raise InputError("stars", "stars_invalid")
    text = _limited(comment or "", "comment", "comment_too_long", COMMENT_LIMIT)
    return {"stars": stars, "comment": text or None}


# -- events (阳光201): codes, excuses and appeals (the server's limits) ------------------------

EVENT_CODE_LENGTH = 4  # the event's own code, read out or shown at the door
PERSONAL_CODE_LENGTH = 6  # each attendee's code, read aloud in groups of three
EXCUSE_REASONS = ("health", "weather", "other")  # escort_failed: recorded only by the server
APPEAL_REASONS = ("health", "escort_failed", "weather", "other")
EXCUSE_NOTE_LIMIT = 200
APPEAL_TEXT_LIMIT = 500


def digits_only(text: str) -> str:
    """What was typed or dictated, without spaces and dashes, full-width digits as ASCII."""
    return _digits_text(text)


def normalise_event_code(text: str) -> str:
    """The event's 4-digit code as typed by an attendee. Codes: ``code_empty``, ``code_wrong``
    (anything but four digits: the server's own answer to a code that is not the event's)."""
    code = _digits_text(text)
    if not code:
        raise InputError("code", "code_empty")
    if not (code.isascii() and code.isdigit() and len(code) == EVENT_CODE_LENGTH):
        raise InputError("code", "code_wrong")
    return code


def clean_excuse(reason: str, note: str | None) -> dict[str, Any]:
    """``{"reason", "note"}`` for an excuse. Code: ``note_too_long`` (``limit=``); an empty
    note is None. A reason the screen never offers (``escort_failed`` among them) is a
    ``ValueError``."""
    if reason not in EXCUSE_REASONS:
        raise ValueError(f"not an excuse a person gives: {reason!r}")
    text = _limited(note or "", "note", "note_too_long", EXCUSE_NOTE_LIMIT)
    return {"reason": reason, "note": text or None}


def clean_appeal(reason: str, text: str) -> dict[str, Any]:
    """``{"reason", "text"}`` for an appeal of a no-show. Codes: ``appeal_text_empty``,
    ``appeal_text_too_long`` (``limit=``). An unknown reason is a ``ValueError``."""
    if reason not in APPEAL_REASONS:
        raise ValueError(f"not an appeal reason: {reason!r}")
    said = _limited(text, "text", "appeal_text_too_long", APPEAL_TEXT_LIMIT)
    if not said:
        raise InputError("text", "appeal_text_empty")
    return {"reason": reason, "text": said}
