"""Sorted suffixes of the indexed texts: every substring of every text is one contiguous range.

``SuffixTable`` keeps (key, value id) entries sorted by key. With ``suffixes`` each text is filed
under every suffix (so the texts containing ``残疾`` are the range of keys starting with it);
without, under the text itself (so the range is the texts that start with it). A range narrows
one character at a time, so a walk down it checks a path like 残疾人证 once for every text that
contains it. Keys are cut at ``KEY_CAP`` characters: long prose costs O(length) entries, not
O(length²), and a longer query verifies the texts of its first ``KEY_CAP`` characters' range.

Entries added are merged in lazily (one sort for a whole rebuild, ``insort`` for a small delta).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator

KEY_CAP = 32
_MERGE_SHARE = 8  # more pending entries than 1/8 of the table: sort everything once


def after(prefix: str) -> str:
    """The smallest string greater than every string that starts with ``prefix``."""
    last = ord(prefix[-1])
    return prefix[:-1] + chr(last + 1) if last < 0x10FFFF else prefix + "\U0010ffff"


class SuffixTable:
    __slots__ = ("_pending", "keys", "suffixes", "vals")

    def __init__(self, *, suffixes: bool) -> None:
        self.suffixes = suffixes
        self.keys: list[str] = []  # sorted; equal keys hold their value ids in ascending order
        self.vals: list[int] = []
        self._pending: list[tuple[str, int]] = []

    def __len__(self) -> int:
        self.flush()
        return len(self.keys)

    def _entries(self, text: str) -> Iterator[str]:
        if self.suffixes:
            return (text[i : i + KEY_CAP] for i in range(len(text)))
        return iter((text[:KEY_CAP],))

    def add(self, value_id: int, text: str) -> None:
        self._pending.extend((key, value_id) for key in self._entries(text))

    def remove(self, value_id: int, text: str) -> None:
        self.flush()
        keys, vals = self.keys, self.vals
        for key in self._entries(text):
            lo = bisect_left(keys, key)
            hi = bisect_right(keys, key, lo)
            at = bisect_left(vals, value_id, lo, hi)
            if at < hi and vals[at] == value_id:
                del keys[at]
                del vals[at]

    def flush(self) -> None:
        pending = self._pending
        if not pending:
            return
        self._pending = []
        keys, vals = self.keys, self.vals
        if len(pending) * _MERGE_SHARE > len(keys):
            entries = sorted([*zip(keys, vals, strict=True), *pending])
            self.keys = [key for key, _ in entries]
            self.vals = [value for _, value in entries]
            return
        for key, value_id in pending:
            lo = bisect_left(keys, key)
            hi = bisect_right(keys, key, lo)
            at = bisect_left(vals, value_id, lo, hi)
            keys.insert(at, key)
            vals.insert(at, value_id)

    def span(self, prefix: str, lo: int = 0, hi: int | None = None) -> tuple[int, int]:
        """The entries whose key starts with ``prefix`` (at most ``KEY_CAP`` characters)."""
        self.flush()
        keys = self.keys
        if hi is None:
            hi = len(keys)
        start = bisect_left(keys, prefix, lo, hi)
        return start, bisect_left(keys, after(prefix), start, hi)

    def values(self, lo: int, hi: int) -> set[int]:
        return set(self.vals[lo:hi])
