"""The pieces of the query walk down a suffix table: its state, and the steps from one state.

A state is a range of suffixes sharing the path spelled so far, a position in the query, the
cost so far and whether the one forgiven typo is still unspent (``SearchIndex._spell``).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from typing import NamedTuple

from services.search.readings import readings_of
from services.search.suffixes import after


class WalkState(NamedTuple):
    lo: int  # the range of suffix keys that start with ``path``
    hi: int
    depth: int  # len(path)
    path: str  # the indexed characters spelled so far
    at: int  # how much of the query they spell
    cost: int  # STRICT, FUZZY or TYPO so far
    typo_left: bool  # the one mistyped syllable is still allowed


def steps_from(ch: str, head: str) -> tuple[tuple[str, int, bool], ...]:
    """The ways (``CharReadings.steps``) of typing ``ch`` that start with the letter ``head``."""
    return tuple(step for step in readings_of(ch).steps if step[0].startswith(head))


def children(
    keys: list[str], lo: int, hi: int, depth: int, path: str, wanted: set[str]
) -> Iterator[tuple[str, int, int]]:
    """(character, lo, hi) of each ``wanted`` character that follows ``path`` in keys[lo:hi].

    Every key in keys[lo:hi] starts with ``path`` (``depth`` characters). A narrow range is
    walked child by child; a wide one is probed once per wanted character.
    """
    if depth and hi - lo <= 2 * len(wanted):
        at = bisect_right(keys, path, lo, hi)  # keys equal to path (the suffix ends) sort first
        while at < hi:
            ch = keys[at][depth]
            stop = bisect_left(keys, after(path + ch), at, hi)
            if ch in wanted:
                yield ch, at, stop
            at = stop
        return
    for ch in wanted:
        prefix = path + ch
        start = bisect_left(keys, prefix, lo, hi)
        if start < hi and keys[start].startswith(prefix):
            yield ch, start, bisect_left(keys, after(prefix), start, hi)
