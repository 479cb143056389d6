"""The search index over the local catalogue: built once, updated item by item, queried per keystroke.

Everything about an item's text that a query needs is worked out when the item is indexed: the
normalised text, every character's readings and fuzzy variants, and sorted suffix tables
(``suffixes.SuffixTable``) over the distinct texts. Each distinct text knows the items that use
it as a bit mask (one bit per item slot).

A query walks the suffix table of the short (pinyin) fields once, character by character, by the
same spelling rules as ``matcher.match_text`` (the character itself, a full reading, an initial,
a fuzzy variant, the unfinished last syllable, and in a second pass one mistyped syllable): a path
like 残疾人证 is checked once for all the texts that contain it, not once per text. A Hanzi query
is a range lookup in the same tables. Matched ranges become item masks (big ranges' masks are
kept and updated with each delta), combined per match class with integer ``|``, ``&`` and
``~``: the best class of every item, and ``total``, come out of a few big-integer operations.
Only the top ``limit`` items are ranked (by popularity) and turned into hits, and only for them
is the matched text and span worked out.

Over 400 lines on purpose: keeping the index up to date (items, texts, masks, kept ranges) and
walking it for a query share the same tables and masks under one lock. The pieces that need
none of that live beside it: the result types (``results``), the index's records
(``entries``), the walk's state and steps (``walk``) and where a hit matched (``location``).
"""

from __future__ import annotations

import json
import threading
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import reduce
from itertools import pairwise
from operator import and_, or_
from pathlib import Path
from typing import Any

from services.search.entries import IndexedItem, IndexedText, QueryVariant
from services.search.fields import SEARCHED_KINDS, FieldSpec, field_values
from services.search.location import literal_at, spelled_at
from services.search.matcher import (
    FUZZY,
    NO_MATCH,
    STRICT,
    TYPO,
    TypedQuery,
    match_text,
)
from services.search.normalize import has_letters, normalize
from services.search.readings import readings_of
from services.search.results import RANKS, MatchKind, SearchHit, SearchResult
from services.search.suffixes import KEY_CAP, SuffixTable, after
from services.search.walk import WalkState, children, steps_from

SYNONYMS_PATH = Path(__file__).resolve().parents[2] / "assets" / "search" / "synonyms.json"
_SNIPPET = 12  # characters of context either side of a hit inside long prose
# Typos are forgiven only when the query, read as typed, finds fewer than TYPO_FALLBACK items: a
# slip is the likely explanation then (``kangfy`` spells 康复医 by initials, but was meant as
# kangfu), and the costlier pass is never paid by queries that already found plenty.
TYPO_FALLBACK = 3
MIN_TYPO_QUERY = 4  # letters; "zhe" is too short to say what it was meant to be
# A suffix range with more entries than this has its item mask kept (and updated with deltas)
# instead of being OR-ed together from its texts at each query.
_KEPT_RANGE = 48
_KEPT_MASKS = 4096
_NOTHING: frozenset[str] = frozenset()


_PINYIN_KIND = {STRICT: MatchKind.PINYIN, FUZZY: MatchKind.FUZZY, TYPO: MatchKind.TYPO}


def load_synonyms(path: Path = SYNONYMS_PATH) -> dict[str, tuple[str, ...]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {
        normalize(k): tuple(normalize(v) for v in values)
        for k, values in data.items()
        if not k.startswith("_")
    }


class SearchIndex:
    def __init__(self, synonyms: dict[str, tuple[str, ...]] | None = None) -> None:
        self._synonyms = load_synonyms() if synonyms is None else synonyms
        self._lock = threading.RLock()
        self._clear()

    def _clear(self) -> None:
        """Forget every item (and everything worked out from them)."""
        self._docs: dict[str, IndexedItem] = {}
        self._slots: list[IndexedItem | None] = []  # slot → item
        self._free: list[int] = []  # slots of removed items, reused
        self._order: list[int] | None = []  # live slots, best first (None: to be worked out)
        self._pos: list[int] = []  # slot → its place in _order
        self._values: dict[int, IndexedText] = {}
        self._masks: dict[int, int] = {}  # value id → the items using it, one bit per slot
        self._value_ids: dict[tuple[str, bool], int] = {}
        self._next_id = 0
        # Short fields by every suffix (pinyin walk, Hanzi substrings) and by whole text (prefix
        # matches); prose the same, for Hanzi only.
        self._tables = {
            "short": SuffixTable(suffixes=True),
            "short_head": SuffixTable(suffixes=False),
            "prose": SuffixTable(suffixes=True),
            "prose_head": SuffixTable(suffixes=False),
        }
        self._kept: dict[tuple[str, str], int] = {}  # (table, key prefix) → items, big ranges
        self._chars: set[str] = set()  # every character of a short field seen so far
        self._first_chars: defaultdict[str, set[str]] = defaultdict(set)  # letter → characters
        self._reading_chars: defaultdict[str, set[str]] = defaultdict(set)  # reading → chars
        self._next_chars: defaultdict[str, set[str]] = defaultdict(set)  # char → chars after it
        self._steps_from: dict[tuple[str, str], tuple[tuple[str, int, bool], ...]] = {}
        self._readings: Counter[str] = Counter()  # how many indexed characters have each reading
        self._vocabulary: frozenset[str] | None = frozenset()

    # -- building ---------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._docs)

    def rebuild(self, items: Iterable[tuple[str, dict[str, Any]]]) -> None:
        with self._lock:
            self._clear()
            for kind, data in items:
                self.upsert(kind, data)
            self._refresh()
            self._keep_characters()

    def _keep_characters(self) -> None:
        """Work out the item masks of every single character's range up front: one-letter
        queries (``h``, ``c``) and common Hanzi hit hundreds of them at once."""
        for name in ("short", "prose"):
            keys = self._tables[name].keys
            at = 0
            while at < len(keys):
                ch = keys[at][0]
                stop = bisect_left(keys, after(ch), at)
                if stop - at > _KEPT_RANGE:
                    self._range_mask(name, ch, at, stop)
                at = stop

    def upsert(self, kind: str, data: dict[str, Any]) -> None:
        """Index one item, replacing what was indexed under its kind and id before."""
        if kind not in SEARCHED_KINDS or not isinstance(data.get("id"), str):
            return
        title_field, specs = SEARCHED_KINDS[kind]
        key = f"{kind}:{data['id']}"
        with self._lock:
            self._remove(key)
            if self._free:
                slot = self._free.pop()
            else:
                slot = len(self._slots)
                self._slots.append(None)
            bit = 1 << slot
            texts: list[tuple[FieldSpec, int]] = []
            for spec in specs:
                for raw in field_values(data, spec):
                    text = normalize(raw).replace(" ", "")
                    if not text:
                        continue
                    value_id = self._value_for(text, spec.pinyin)
                    self._values[value_id].uses += 1
                    self._masks[value_id] |= bit
                    texts.append((spec, value_id))
            popularity = data.get("popularity")
            doc = IndexedItem(
                key,
                kind,
                data["id"],
                str(data.get(title_field) or data["id"]),
                popularity if isinstance(popularity, int) else 0,
                slot,
                tuple(texts),
            )
            self._docs[key] = doc
            self._slots[slot] = doc
            self._order = None
            if self._kept:
                self._keep_up(doc, bit)

    def remove(self, kind: str, item_id: str) -> None:
        with self._lock:
            self._remove(f"{kind}:{item_id}")

    def _value_for(self, text: str, pinyin: bool) -> int:
        value_id = self._value_ids.get((text, pinyin))
        if value_id is not None:
            return value_id
        self._next_id += 1
        value_id = self._value_ids[(text, pinyin)] = self._next_id
        chars = tuple(readings_of(ch) for ch in text) if pinyin else None
        self._values[value_id] = IndexedText(text, chars, 0 if pinyin else 1)
        self._masks[value_id] = 0
        prefix = "short" if pinyin else "prose"
        self._tables[prefix].add(value_id, text)
        self._tables[prefix + "_head"].add(value_id, text)
        if chars:
            for c in chars:
                if c.char not in self._chars:
                    self._chars.add(c.char)
                    for letter in c.first_letters:
                        self._first_chars[letter].add(c.char)
                    for reading in c.strict:
                        self._reading_chars[reading].add(c.char)
            for a, b in pairwise(text):
                self._next_chars[a].add(b)
            self._readings.update(r for c in chars for r in c.strict if r.isalpha())
            self._vocabulary = None
        return value_id

    def _remove(self, doc_key: str) -> None:
        doc = self._docs.pop(doc_key, None)
        if doc is None:
            return
        self._slots[doc.slot] = None
        self._free.append(doc.slot)
        self._order = None
        bit = 1 << doc.slot
        for _spec, value_id in doc.texts:
            value = self._values[value_id]
            value.uses -= 1
            self._masks[value_id] &= ~bit
            if value.uses:
                continue
            del self._values[value_id]
            del self._masks[value_id]
            pinyin = value.chars is not None
            del self._value_ids[(value.text, pinyin)]
            prefix = "short" if pinyin else "prose"
            self._tables[prefix].remove(value_id, value.text)
            self._tables[prefix + "_head"].remove(value_id, value.text)
            if value.chars:
                self._readings.subtract(r for c in value.chars for r in c.strict if r.isalpha())
                self._vocabulary = None
        for key, mask in list(self._kept.items()):
            if mask & bit:
                self._kept[key] = mask & ~bit

    def _keep_up(self, doc: IndexedItem, bit: int) -> None:
        """Add a new item to every kept range mask whose prefix one of its texts contains."""
        short = [self._values[v].text for spec, v in doc.texts if spec.pinyin]
        prose = [self._values[v].text for spec, v in doc.texts if not spec.pinyin]
        for (table, prefix), mask in list(self._kept.items()):
            texts = short if table.startswith("short") else prose
            if table.endswith("_head"):
                hit = any(text.startswith(prefix) for text in texts)
            else:
                hit = any(prefix in text for text in texts)
            if hit:
                self._kept[(table, prefix)] = mask | bit

    def _refresh(self) -> None:
        """Merge pending table entries and rank the items, if anything changed since."""
        for table in self._tables.values():
            table.flush()
        if self._order is None:
            live = [doc for doc in self._slots if doc is not None]
            live.sort(key=lambda doc: (-doc.popularity, doc.title, doc.key))
            self._order = [doc.slot for doc in live]
            self._pos = [len(self._slots)] * len(self._slots)
            for place, slot in enumerate(self._order):
                self._pos[slot] = place

    def vocabulary(self) -> frozenset[str]:
        """Every reading of every indexed character: what a mistyped syllable is compared with."""
        if self._vocabulary is None:
            self._vocabulary = frozenset(r for r, count in self._readings.items() if count > 0)
        return self._vocabulary

    # -- searching --------------------------------------------------------------------------

    def search(self, query: str, limit: int = 20) -> SearchResult:
        """The items matching ``query``, best first, and how many there are in all."""
        q = normalize(query)
        if not q:
            return SearchResult(query, 0, ())
        with self._lock:
            self._refresh()
            variants = [self._match_variant(v, synonym) for v, synonym in self._variants(q)]
            need = max(limit, 0)
            placed = 0
            chosen: list[tuple[int, tuple[int, int]]] = []
            for rank in RANKS:
                mask = 0
                for variant in variants:
                    mask |= variant.masks.get(rank, 0)
                if not mask:
                    continue
                fresh = mask & ~placed
                if fresh and len(chosen) < need:
                    chosen.extend((slot, rank) for slot in self._top(fresh, need - len(chosen)))
                placed |= mask
            hits = tuple(self._hit(slot, rank, variants) for slot, rank in chosen)
        return SearchResult(query, placed.bit_count(), hits)

    def _variants(self, q: str) -> list[tuple[str, str | None]]:
        """The query itself, then the query with each synonym it contains replaced."""
        variants: list[tuple[str, str | None]] = [(q, None)]
        for typed, meant in self._synonyms.items():
            if typed in q:
                variants.extend((q.replace(typed, word), word) for word in meant)
        return variants

    def _top(self, mask: int, need: int) -> list[int]:
        """The ``need`` best-ranked slots of ``mask``, best first."""
        bits = bin(mask)
        width = len(bits) - 1  # bit s is bits[width - s]; bits[:2] is "0b"
        count = mask.bit_count()
        order = self._order or []
        if count * count <= need * len(order):  # few: take them all and sort
            slots = []
            at = bits.find("1", 2)
            while at >= 0:
                slots.append(width - at)
                at = bits.find("1", at + 1)
            slots.sort(key=self._pos.__getitem__)
            return slots[:need]
        found: list[int] = []  # many: walk the ranking until enough are in the mask
        for slot in order:
            if slot <= width - 2 and bits[width - slot] == "1":
                found.append(slot)
                if len(found) == need:
                    break
        return found

    def _match_variant(self, q: str, synonym: str | None) -> QueryVariant:
        if has_letters(q):
            text = q.replace(" ", "")
            typed = TypedQuery(text, self.vocabulary())
            costs, spelled, too_deep = self._spell(typed, typos=False)
            typos = False
            found = reduce(or_, costs, 0).bit_count()
            if found < TYPO_FALLBACK and sum(ch.isalpha() for ch in text) >= MIN_TYPO_QUERY:
                costs, spelled, too_deep = self._spell(typed, typos=True)
                typos = True
            masks = {(_PINYIN_KIND[cost], 0): mask for cost, mask in enumerate(costs) if mask}
            return QueryVariant(synonym, masks, typed, typos, spelled, too_deep)
        terms = tuple(q.split(" "))
        found = [self._match_literal(term) for term in terms]
        if len(found) == 1:
            return QueryVariant(synonym, found[0], terms=terms, first=found[0])
        # Several words: every word must match the item; it ranks by its weakest word.
        masks: dict[tuple[int, int], int] = {}
        reached = [0] * len(found)  # per word: items matched at this rank or better
        for rank in RANKS:
            for n, word in enumerate(found):
                reached[n] |= word.get(rank, 0)
            every = reduce(and_, reached)
            if every:
                masks[rank] = every
        return QueryVariant(synonym, masks, terms=terms, first=found[0])

    def _match_literal(self, term: str) -> dict[tuple[int, int], int]:
        """Hanzi (or digits): rank → items with a field equal to, starting with or holding ``term``."""
        out: dict[tuple[int, int], int] = {}
        for field_rank, name in ((0, "short"), (1, "prose")):
            value_id = self._value_ids.get((term, field_rank == 0))
            exact = self._masks[value_id] if value_id is not None else 0
            if len(term) <= KEY_CAP:
                starts = self._range_mask(name + "_head", term)
                anywhere = self._range_mask(name, term)
            else:  # longer than a key: the texts holding its start, checked whole
                table = self._tables[name]
                starts = anywhere = 0
                for v in table.values(*table.span(term[:KEY_CAP])):
                    text = self._values[v].text
                    if text.startswith(term):
                        starts |= self._masks[v]
                    elif term in text:
                        anywhere |= self._masks[v]
                anywhere |= starts
            out[(MatchKind.EXACT, field_rank)] = exact
            out[(MatchKind.PREFIX, field_rank)] = starts
            out[(MatchKind.SUBSTRING, field_rank)] = anywhere
        return out

    def _range_mask(
        self, name: str, prefix: str, lo: int | None = None, hi: int | None = None
    ) -> int:
        """The items using any text of table ``name`` filed under a key starting with ``prefix``."""
        table = self._tables[name]
        if lo is None or hi is None:
            lo, hi = table.span(prefix)
        if hi - lo <= _KEPT_RANGE:
            return reduce(or_, map(self._masks.__getitem__, set(table.vals[lo:hi])), 0)
        key = (name, prefix)
        mask = self._kept.get(key)
        if mask is None:
            mask = reduce(or_, map(self._masks.__getitem__, set(table.vals[lo:hi])), 0)
            if len(self._kept) >= _KEPT_MASKS:
                del self._kept[next(iter(self._kept))]
            self._kept[key] = mask
        return mask

    def _spell(
        self, typed: TypedQuery, *, typos: bool
    ) -> tuple[list[int], dict[str, list[tuple[str, int]]], bool]:
        """Items per cost (STRICT, FUZZY, TYPO) whose short fields spell ``typed`` somewhere.

        One walk down the suffix table of the short fields, by ``match_text``'s rules: each
        character of a path may be typed as itself, a reading, an initial, a fuzzy variant, the
        unfinished last syllable, or (with ``typos``, once) a slip of a reading. A state is a
        range of suffixes sharing the path, a position in the query, and whether the typo is
        still unspent; reaching the end of the query there matches every text of the range.
        Returns the items per cost, the paths spelled (by first character) and whether some
        path outgrew the keys.
        """
        table = self._tables["short"]
        keys = table.keys
        s = typed.text
        m = len(s)
        slips = typed.typos_at if typos else ()
        # path → (cheapest cost, its range); two paths may share a range (条 always before 例)
        ends: dict[str, tuple[int, int, int]] = {}
        too_deep: set[tuple[int, int]] = set()
        seen: dict[tuple[int, int, int, bool], int] = {}
        starters: dict[tuple[int, bool], set[str]] = {}
        known_steps = self._steps_from
        stack: list[WalkState] = [WalkState(0, len(keys), 0, "", 0, STRICT, typos)]

        def end(lo: int, hi: int, path: str, cost: int) -> None:
            held = ends.get(path)
            if held is None or cost < held[0]:
                ends[path] = (cost, lo, hi)

        while stack:
            lo, hi, depth, path, i, cost, typo_left = stack.pop()
            head = s[i]
            rest = m - i
            here_slips = slips[i] if typo_left else None
            can_start = starters.get((i, typo_left))
            if can_start is None:
                can_start = starters[(i, typo_left)] = self._starters(head, here_slips)
            if depth:
                can_start = can_start & self._next_chars.get(path[-1], _NOTHING)
            for ch, clo, chi in children(keys, lo, hi, depth, path, can_start):
                nexts: list[tuple[int, int, bool]] = []
                if head == ch:
                    nexts.append((i + 1, cost, typo_left))
                steps = known_steps.get((ch, head))
                if steps is None:
                    steps = known_steps[(ch, head)] = steps_from(ch, head)
                for spelling, step_cost, whole in steps:
                    if s.startswith(spelling, i):
                        nexts.append((i + len(spelling), max(cost, step_cost), typo_left))
                    elif whole and rest < len(spelling) and spelling.startswith(s[i:]):
                        end(clo, chi, path + ch, max(cost, step_cost))
                if here_slips:
                    for reading in readings_of(ch).strict:
                        for length in here_slips.get(reading, ()):
                            nexts.append((i + length, TYPO, False))
                for j, step_cost, left in nexts:
                    if j == m:
                        end(clo, chi, path + ch, step_cost)
                    elif depth + 1 >= KEY_CAP:
                        too_deep.add((clo, chi))
                    else:
                        state = (clo, depth + 1, j, left)
                        if seen.get(state, NO_MATCH) <= step_cost:
                            continue
                        seen[state] = step_cost
                        stack.append(WalkState(clo, chi, depth + 1, path + ch, j, step_cost, left))
        costs = [0, 0, 0]
        # Ranges nest or are disjoint: skip one inside a range already taken at no higher cost.
        reach = [-1, -1, -1]  # per cost: how far the ranges taken at that cost or lower reach
        for path, (cost, lo, hi) in sorted(ends.items(), key=lambda e: (e[1][1], -e[1][2])):
            if reach[cost] >= hi:
                continue
            costs[cost] |= self._range_mask("short", path, lo, hi)
            for c in range(cost, 3):
                reach[c] = max(reach[c], hi)
        for lo, hi in too_deep:  # a path longer than a key: check its texts whole
            for v in table.values(lo, hi):
                value = self._values[v]
                assert value.chars is not None
                cost, _, _ = match_text(value.chars, typed, typos=typos)
                if cost != NO_MATCH:
                    costs[cost] |= self._masks[v]
        spelled: dict[str, list[tuple[str, int]]] = {}
        for path, (cost, _, _) in ends.items():
            spelled.setdefault(path[0], []).append((path, cost))
        return costs, spelled, bool(too_deep)

    def _starters(self, head: str, slips: dict[str, tuple[int, ...]] | None) -> set[str]:
        """Indexed characters that may spell the query from a letter ``head`` on."""
        letter = head.isascii() and head.isalnum()
        found = self._first_chars.get(head, set()) if letter else {head}
        if slips:
            found = found.union(*(self._reading_chars.get(r, ()) for r in slips))
        return found

    def _hit(self, slot: int, rank: tuple[int, int], variants: list[QueryVariant]) -> SearchHit:
        doc = self._slots[slot]
        assert doc is not None
        variant = next(v for v in variants if v.masks.get(rank, 0) >> slot & 1)
        where = (
            spelled_at(self._values, doc, rank[0] - MatchKind.PINYIN, variant)
            if variant.typed is not None
            else literal_at(self._values, doc, slot, variant)
        )
        spec, value_id, span = where or (doc.texts[0][0], doc.texts[0][1], (0, 0))
        shown = self._values[value_id].text
        if len(shown) > 2 * _SNIPPET + (span[1] - span[0]):
            cut = max(span[0] - _SNIPPET, 0)
            shown = shown[cut : span[1] + _SNIPPET]
            span = (span[0] - cut, span[1] - cut)
        return SearchHit(
            kind=doc.kind,
            id=doc.id,
            title=doc.title,
            match=MatchKind(rank[0]),
            field=spec.name,
            matched_text=shown,
            span=span,
            synonym=variant.synonym,
            popularity=doc.popularity,
        )
