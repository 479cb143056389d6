"""Fields named in words, so a sentence about what was typed says which field it means.

Keys are ``InputError.field`` values from ``services.validation``. A sentence about length
(too long, how much room is left) always names its field: a screen-reader user hears it away
from the field, and a form may have several long fields.
"""

from __future__ import annotations

from app.i18n import N_, _, ngettext
from services.errors import InputError

FIELD_NAMES = {
    "address": N_("Address"),
    "emergency_contact": N_("Emergency contact"),
    "from_place": N_("Where you start from"),
    "to_place": N_("Where you are going"),
    "notes": N_("Notes for the volunteer"),
    "real_name": N_("Real name"),
    "comment": N_("Your comment"),
    "note": N_("What happened"),
    "text": N_("Your appeal"),
}

# Room left at which the person is told, as they type (and at 0: the field is full).
ROOM_TOLD = (20, 10, 0)


UNNAMED_FIELD = N_("This field")


def field_name(field: str) -> str:
    return _(FIELD_NAMES.get(field, UNNAMED_FIELD))


def too_long_sentence(error: InputError) -> str:
    """“给志愿者的备注”太长了：最多 200 个字，您输入了 500 个字。"""
    limit, typed = error.params.get("limit", 0), error.params.get("typed", 0)
    return _("“{field}” is too long: at most {limit} characters; you typed {typed}.").format(
        field=field_name(error.field), limit=limit, typed=typed
    )


def room_left_sentence(field: str, left: int, limit: int) -> str:
    """Said as the person types near a field's limit."""
    if left <= 0:
        return _("“{field}” is full: at most {limit} characters.").format(
            field=field_name(field), limit=limit
        )
    return ngettext(
        "“{field}”: {left} character left.", "“{field}”: {left} characters left.", left
    ).format(field=field_name(field), left=left)


def limit_sentence(limit: int) -> str:
    """Under a long field: how much it takes."""
    return _("At most {limit} characters.").format(limit=limit)


def room_told(before: int, after: int) -> int | None:
    """The room left to tell when typing took it from ``before`` to ``after`` (chars left),
    if it crossed one of ``ROOM_TOLD``; else None (nothing is said on every keystroke)."""
    crossed = [mark for mark in ROOM_TOLD if after <= mark < before]
    return min(crossed) if crossed else None
