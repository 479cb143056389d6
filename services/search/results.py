"""What a search answers: each hit, how it matched, and the result as a whole."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class MatchKind(IntEnum):
    """How a hit matched, best first; results are ranked in this order."""

    EXACT = 0  # the whole field is the query (a name, or a keyword such as 残疾证)
    PREFIX = 1
    SUBSTRING = 2
    PINYIN = 3  # spelled in pinyin: full, initials, mixed with Hanzi, unfinished last syllable
    FUZZY = 4  # spelled with a fuzzy sound (z/zh, n/l, an/ang, …)
    TYPO = 5  # one pinyin syllable mistyped


# Every (MatchKind, field rank) a hit can have, best first: the order results are ranked in.
RANKS = tuple((kind, field_rank) for kind in MatchKind for field_rank in (0, 1))


@dataclass(frozen=True)
class SearchHit:
    kind: str  # service | policy | institution
    id: str
    title: str
    match: MatchKind
    field: str  # the field that matched: name, title, keywords, category, kind, description…
    matched_text: str  # that field's text (a snippet for long prose)
    span: tuple[int, int]  # the matched characters within matched_text
    synonym: str | None  # the catalogue word searched for, when the query was a synonym of it
    popularity: int


@dataclass(frozen=True)
class SearchResult:
    query: str
    total: int  # every item that matched, not only the hits returned
    hits: tuple[SearchHit, ...]
