"""What the index holds per distinct text and per item, and one reading of a query with what it
matched (the index's own records; callers see ``results``)."""

from __future__ import annotations

from dataclasses import dataclass

from services.search.fields import FieldSpec
from services.search.matcher import TypedQuery
from services.search.readings import CharReadings


@dataclass(slots=True)
class IndexedText:
    """One distinct normalised text. Keywords and categories repeat across many items: each is
    indexed and checked against a query once, however many items use it."""

    text: str  # normalised, no spaces
    chars: tuple[CharReadings, ...] | None  # pinyin fields only
    field_rank: int  # 0: a short field, matched by pinyin too; 1: prose
    uses: int = 0  # how many (item, field) pairs read it


@dataclass(frozen=True, slots=True)
class IndexedItem:
    key: str  # "kind:id"
    kind: str
    id: str
    title: str
    popularity: int
    slot: int  # its bit in every item mask
    texts: tuple[tuple[FieldSpec, int], ...]  # (field, value id), in field order


@dataclass(slots=True)
class QueryVariant:
    """One reading of the query (itself, or with a synonym replaced) and what it matched."""

    synonym: str | None
    # rank → items with a match of that rank (or a better one of the same field rank)
    masks: dict[tuple[int, int], int]
    typed: TypedQuery | None = None  # pinyin (letters in the query)
    typos: bool = False  # matched by the one-typo pass
    # first character → (path, cost) of every spelled path: a text holding a path matches
    spelled: dict[str, list[tuple[str, int]]] | None = None
    too_deep: bool = False  # some path was longer than a key: texts are checked whole
    terms: tuple[str, ...] = ()  # Hanzi (no letters): the space-separated words
    first: dict[tuple[int, int], int] | None = None  # the first word's own masks
