"""Which parts of a catalogue item are searched, and how much each counts.

Short fields (names, keywords, category) are matched by Hanzi and by pinyin; long prose
(descriptions, summaries, addresses) by Hanzi only, since initials would match almost any
paragraph. Within one match kind, a hit in a short field ranks above a hit in prose; between
short fields popularity decides (a keyword is the item's own word for itself, as its name is).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FieldSpec:
    name: str  # the key in the item's data
    pinyin: bool  # a short field, matched by pinyin too; prose is matched by Hanzi only

    @property
    def rank(self) -> int:
        return 0 if self.pinyin else 1


SEARCHED_KINDS: dict[str, tuple[str, tuple[FieldSpec, ...]]] = {
    # kind: (the field used as the title, searched fields)
    "service": (
        "name",
        (
            FieldSpec("name", True),
            FieldSpec("keywords", True),
            FieldSpec("category", True),
            FieldSpec("description", False),
        ),
    ),
    "policy": (
        "title",
        (
            FieldSpec("title", True),
            FieldSpec("keywords", True),
            FieldSpec("issuer", False),
            FieldSpec("summary", False),
        ),
    ),
    "institution": (
        "name",
        (
            FieldSpec("name", True),
            FieldSpec("kind", True),
            FieldSpec("address", False),
        ),
    ),
}


def field_values(data: dict[str, Any], spec: FieldSpec) -> Iterator[str]:
    """The field's text(s): a string, or each string of a list (keywords)."""
    value = data.get(spec.name)
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        yield from (v for v in value if isinstance(v, str))
