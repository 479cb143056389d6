"""Does a typed query spell part of a text? Pinyin, initials, Hanzi, mixed, fuzzy and typos.

Each character of the text may be typed as: itself; one of its readings in full (``zheng``); the
start of a reading (``zh`` or ``z``: initials, as pinyin input methods accept); or, at the very end
of the query, any unfinished part of a reading (``残疾renzh``). That covers full pinyin, initials
and every mixture (``canjirz``, ``残j人证``) with one rule.

The match costs the worst step it took: a real reading is STRICT, a fuzzy-sound variant FUZZY, a
syllable one edit away from a real reading TYPO (at most one per query, and only when asked). A
small depth-first search with memoisation finds the cheapest way; texts are short (names and
keywords), and a character that cannot start the rest of the query is skipped by one set lookup.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from services.search.readings import CharReadings

STRICT, FUZZY, TYPO = 0, 1, 2
NO_MATCH = 3
MIN_TYPO_SYLLABLE = 3  # a one-letter change to "ji" or "an" is another syllable, not a typo


@dataclass(frozen=True)
class TypedQuery:  # frozen, but cached_property needs a __dict__: no slots
    """A normalised query without spaces, and the syllables each part of it might be a typo of."""

    text: str
    vocabulary: frozenset[str] = field(default_factory=frozenset, compare=False)

    def typo_targets(self, start: int, length: int) -> frozenset[str]:
        return near_syllables(self.text[start : start + length], self.vocabulary)

    @cached_property
    def typos_at(self) -> tuple[dict[str, tuple[int, ...]], ...]:
        """For each position: reading → how many typed letters are a slip of it from there."""
        table: list[dict[str, tuple[int, ...]]] = []
        for i in range(len(self.text)):
            here: dict[str, list[int]] = {}
            for length in range(MIN_TYPO_SYLLABLE - 1, min(len(self.text) - i, 7) + 1):
                for reading in self.typo_targets(i, length):
                    here.setdefault(reading, []).append(length)
            table.append({r: tuple(lengths) for r, lengths in here.items()})
        return tuple(table)


@lru_cache(maxsize=16384)
def near_syllables(typed: str, vocabulary: frozenset[str]) -> frozenset[str]:
    """Readings one slip from ``typed``: a letter added, dropped, changed, or two swapped."""
    if len(typed) < MIN_TYPO_SYLLABLE - 1 or not (typed.isascii() and typed.isalpha()):
        return frozenset()
    found = process.extract(
        typed, vocabulary, scorer=Levenshtein.distance, score_cutoff=1, limit=None
    )
    # A two-letter syllable is a slip's target only when what was typed cannot be pinyin at
    # all ("yii" or "fy" for yi, fu); "ji" typed for "ju" is another syllable, not a typo.
    spellable = any(s.startswith(typed) for s in vocabulary)
    near = {
        s
        for s, distance, _ in found
        if distance == 1 and len(s) >= 2 and (len(s) >= MIN_TYPO_SYLLABLE or not spellable)
    }
    # Levenshtein counts a swap of neighbours as two edits; a person counts it as one slip.
    for i in range(len(typed) - 1):
        swapped = typed[:i] + typed[i + 1] + typed[i] + typed[i + 2 :]
        if swapped != typed and swapped in vocabulary and len(swapped) >= MIN_TYPO_SYLLABLE:
            near.add(swapped)
    return frozenset(near)


def match_text(
    chars: tuple[CharReadings, ...], query: TypedQuery, *, typos: bool = False
) -> tuple[int, int, int]:
    """(cost, start, end) of the cheapest place the query spells in ``chars``; NO_MATCH if none."""
    best_from = _spelling_search(chars, query)
    first = query.text[0]
    first_slips = query.typos_at[0] if typos else {}
    found = (NO_MATCH, 0, 0)
    for start, c in enumerate(chars):
        if (
            first != c.char
            and first not in c.first_letters
            and not (first_slips and any(r in first_slips for r in c.strict))
        ):
            continue
        cost, end = best_from(start, 0, typos)
        if cost < found[0]:
            found = (cost, start, end)
            if cost == STRICT:
                break
    return found


def match_from(
    chars: tuple[CharReadings, ...], query: TypedQuery, start: int, *, typos: bool = False
) -> tuple[int, int]:
    """(cost, end) of the cheapest way the query spells ``chars`` from ``start`` on: what
    ``match_text`` finds when its cheapest place starts there."""
    return _spelling_search(chars, query)(start, 0, typos)


def _spelling_search(
    chars: tuple[CharReadings, ...], query: TypedQuery
) -> Callable[[int, int, bool], tuple[int, int]]:
    s = query.text
    n, m = len(chars), len(s)
    memo: dict[tuple[int, int, bool], tuple[int, int]] = {}

    def best_from(p: int, i: int, typo_left: bool) -> tuple[int, int]:
        """Cheapest (cost, end) spelling s[i:] with chars[p:], or (NO_MATCH, p)."""
        if i == m:
            return STRICT, p
        if p == n:
            return NO_MATCH, p
        key = (p, i, typo_left)
        found = memo.get(key)
        if found is not None:
            return found
        c = chars[p]
        head = s[i]
        best_cost, best_end = NO_MATCH, p
        if head == c.char:
            cost, end = best_from(p + 1, i + 1, typo_left)
            best_cost, best_end = cost, end
        if head in c.first_letters:
            rest = m - i
            for spelling, step_cost, whole in c.steps:
                if step_cost >= best_cost:
                    continue
                if s.startswith(spelling, i):
                    cost, end = best_from(p + 1, i + len(spelling), typo_left)
                    cost = max(cost, step_cost)
                    if cost < best_cost:
                        best_cost, best_end = cost, end
                elif whole and rest < len(spelling) and spelling.startswith(s[i:]):
                    best_cost, best_end = step_cost, p + 1  # the query ends inside this syllable
        if typo_left and best_cost > TYPO:
            slips = query.typos_at[i]
            for r in c.strict:
                for length in slips.get(r, ()):
                    cost, end = best_from(p + 1, i + length, False)
                    if max(cost, TYPO) < best_cost:
                        best_cost, best_end = max(cost, TYPO), end
        memo[key] = (best_cost, best_end)
        return best_cost, best_end

    return best_from
