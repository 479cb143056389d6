"""Where in an item a query matched: the field, and the span of the match in its text, for
the few hits a search returns (the walk itself only says which items match)."""

from __future__ import annotations

from services.search.entries import IndexedItem, IndexedText, QueryVariant
from services.search.fields import FieldSpec
from services.search.matcher import match_from, match_text
from services.search.results import RANKS, MatchKind

Where = tuple[FieldSpec, int, tuple[int, int]]  # field, value id, span


def literal_kind(text: str, term: str) -> MatchKind | None:
    start = text.find(term)
    if start < 0:
        return None
    if text == term:
        return MatchKind.EXACT
    return MatchKind.PREFIX if start == 0 else MatchKind.SUBSTRING


def spelled_at(
    values: dict[int, IndexedText], doc: IndexedItem, cost: int, variant: QueryVariant
) -> Where | None:
    """The item's first short field whose cheapest spelling of the query costs ``cost``."""
    typed = variant.typed
    assert typed is not None
    for spec, value_id in doc.texts:
        value = values[value_id]
        if value.chars is None:
            continue
        if variant.too_deep or variant.spelled is None:
            found, start, stop = match_text(value.chars, typed, typos=variant.typos)
            if found == cost:
                return spec, value_id, (start, stop)
            continue
        found = spelled_start(value.text, variant.spelled, cost)
        if found is not None:
            start, stop = found
            if stop is None:  # several paths start there: the matcher's own choice
                _, stop = match_from(value.chars, typed, start, typos=variant.typos)
            return spec, value_id, (start, stop)
    return None


def literal_at(
    values: dict[int, IndexedText], doc: IndexedItem, slot: int, variant: QueryVariant
) -> Where | None:
    """The item's first field holding the first word as well as the word matched it."""
    first = variant.first or {}
    own = next(r for r in RANKS if first.get(r, 0) >> slot & 1)
    term = variant.terms[0]
    for spec, value_id in doc.texts:
        value = values[value_id]
        if value.field_rank == own[1] and literal_kind(value.text, term) == own[0]:
            start = value.text.find(term)
            return spec, value_id, (start, start + len(term))
    return None


def spelled_start(
    text: str, spelled: dict[str, list[tuple[str, int]]], cost: int
) -> tuple[int, int | None] | None:
    """Where ``match_text`` would find its cheapest match in ``text``, if that match costs
    ``cost``: the first place a spelled path of that cost occurs, no cheaper one occurring.
    With it, where the match ends when only one such path starts there (else None)."""
    first = len(text)
    paths: list[str] = []
    for ch in set(text):
        for path, path_cost in spelled.get(ch, ()):
            if path_cost > cost:
                continue
            at = text.find(path)
            if at < 0:
                continue
            if path_cost < cost:
                return None
            first = min(first, at)
            paths.append(path)
    if first == len(text):
        return None
    here = [path for path in paths if text.startswith(path, first)]
    return first, (first + len(here[0]) if len(here) == 1 else None)
