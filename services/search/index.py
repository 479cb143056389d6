"""The search index over the local catalogue: built once, updated item by item, queried per keystroke.

Everything about an item's text that a query needs is worked out when the item is indexed: the
normalised text, every character's readings and fuzzy variants, and posting sets keyed by
Hanzi character, by reading prefix and by pairs of neighbouring sound classes. A query looks up
a few posting sets, intersects them and checks only the texts that survive
(``matcher.match_text``); it never walks every reading of every item.
"""

from __future__ import annotations

import json
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import Any

from services.search.fields import SEARCHED_KINDS, FieldSpec, field_values
from services.search.matcher import (
    FUZZY,
    MIN_TYPO_SYLLABLE,
    NO_MATCH,
    STRICT,
    TYPO,
    TypedQuery,
    match_text,
    near_syllables,
)
from services.search.normalize import has_letters, is_hanzi, normalize
from services.search.readings import CharReadings, readings_of, sound_class

SYNONYMS_PATH = Path(__file__).resolve().parents[2] / "assets" / "search" / "synonyms.json"
_SNIPPET = 12  # characters of context either side of a hit inside long prose
# Typos are forgiven only when the query, read as typed, finds nothing: a slip is the likely
# explanation then, and the costlier pass is never paid by queries that already found something.
TYPO_FALLBACK = 1
MIN_TYPO_QUERY = 4  # letters; "zhe" is too short to say what it was meant to be


class MatchKind(IntEnum):
    """How a hit matched, best first; results are ranked in this order."""

    EXACT = 0  # the whole field is the query (a name, or a keyword such as 残疾证)
    PREFIX = 1
    SUBSTRING = 2
    PINYIN = 3  # spelled in pinyin: full, initials, mixed with Hanzi, unfinished last syllable
    FUZZY = 4  # spelled with a fuzzy sound (z/zh, n/l, an/ang, …)
    TYPO = 5  # one pinyin syllable mistyped


_PINYIN_KIND = {STRICT: MatchKind.PINYIN, FUZZY: MatchKind.FUZZY, TYPO: MatchKind.TYPO}


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


@dataclass(frozen=True)
class _Text:
    doc: str  # "kind:id"
    spec: FieldSpec
    value: int  # the _Value it reads


@dataclass
class _Value:
    """One distinct normalised text. Keywords and categories repeat across many items: each is
    indexed and checked against a query once, however many items use it."""

    text: str  # normalised, no spaces
    chars: tuple[CharReadings, ...] | None  # pinyin fields only
    uses: set[int]  # the _Texts that read it


@dataclass(frozen=True)
class _Doc:
    kind: str
    id: str
    title: str
    popularity: int
    texts: tuple[int, ...]


@dataclass(frozen=True)
class _Candidate:
    rank: tuple[int, int]  # (MatchKind, field rank)
    text: int
    span: tuple[int, int]
    synonym: str | None


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
        self._docs: dict[str, _Doc] = {}
        self._texts: dict[int, _Text] = {}
        self._values: dict[int, _Value] = {}
        self._value_ids: dict[tuple[str, bool], int] = {}
        self._next_id = 0
        self._by_char: defaultdict[str, set[int]] = defaultdict(set)  # Hanzi/letter → texts
        self._by_prefix: defaultdict[str, set[int]] = defaultdict(set)  # reading prefix → texts
        self._by_pair: defaultdict[str, set[int]] = defaultdict(set)  # two sound classes → texts
        self._tables = {"char": self._by_char, "prefix": self._by_prefix, "pair": self._by_pair}
        self._readings: Counter[str] = Counter()  # how many indexed characters have each reading
        self._spellings: Counter[str] = Counter()  # the same, fuzzy variants included
        self._vocabulary: frozenset[str] | None = frozenset()

    # -- building ---------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._docs)

    def rebuild(self, items: Iterable[tuple[str, dict[str, Any]]]) -> None:
        with self._lock:
            self.__init__(self._synonyms)  # type: ignore[misc]
            for kind, data in items:
                self.upsert(kind, data)

    def upsert(self, kind: str, data: dict[str, Any]) -> None:
        """Index one item, replacing what was indexed under its kind and id before."""
        if kind not in SEARCHED_KINDS or not isinstance(data.get("id"), str):
            return
        title_field, specs = SEARCHED_KINDS[kind]
        key = f"{kind}:{data['id']}"
        with self._lock:
            self._remove(key)
            text_ids = []
            for spec in specs:
                for raw in field_values(data, spec):
                    text_id = self._add_text(key, spec, raw)
                    if text_id is not None:
                        text_ids.append(text_id)
            popularity = data.get("popularity")
            self._docs[key] = _Doc(
                kind,
                data["id"],
                str(data.get(title_field) or data["id"]),
                popularity if isinstance(popularity, int) else 0,
                tuple(text_ids),
            )

    def remove(self, kind: str, item_id: str) -> None:
        with self._lock:
            self._remove(f"{kind}:{item_id}")

    def _new_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def _add_text(self, doc: str, spec: FieldSpec, raw: str) -> int | None:
        text = normalize(raw).replace(" ", "")
        if not text:
            return None
        value_id = self._value_ids.get((text, spec.pinyin))
        if value_id is None:
            value_id = self._value_ids[(text, spec.pinyin)] = self._new_id()
            chars = tuple(readings_of(ch) for ch in text) if spec.pinyin else None
            self._values[value_id] = _Value(text, chars, set())
            for table, key in self._keys(text, chars):
                self._tables[table][key].add(value_id)
            if chars:
                self._readings.update(r for c in chars for r in c.strict if r.isalpha())
                self._spellings.update(r for c in chars for r in (*c.strict, *c.fuzzy))
                self._vocabulary = None
        text_id = self._new_id()
        self._texts[text_id] = _Text(doc, spec, value_id)
        self._values[value_id].uses.add(text_id)
        return text_id

    def _remove(self, doc_key: str) -> None:
        doc = self._docs.pop(doc_key, None)
        if doc is None:
            return
        for text_id in doc.texts:
            text = self._texts.pop(text_id)
            value = self._values[text.value]
            value.uses.discard(text_id)
            if value.uses:
                continue
            del self._values[text.value]
            del self._value_ids[(value.text, value.chars is not None)]
            for table, key in self._keys(value.text, value.chars):
                postings = self._tables[table]
                postings[key].discard(text.value)
                if not postings[key]:
                    del postings[key]
            if value.chars:
                chars = value.chars
                self._readings.subtract(r for c in chars for r in c.strict if r.isalpha())
                self._spellings.subtract(r for c in chars for r in (*c.strict, *c.fuzzy))
                self._vocabulary = None

    @staticmethod
    def _keys(value: str, chars: tuple[CharReadings, ...] | None) -> set[tuple[str, str]]:
        """Every (posting table, key) a text is filed under."""
        keys = {("char", ch) for ch in value}
        for i, c in enumerate(chars or ()):
            for r in (*c.strict, *c.fuzzy):
                keys.update(("prefix", r[:k]) for k in range(1, len(r) + 1))
            if i + 1 < len(chars):
                following = chars[i + 1].classes
                keys.update(("pair", a + b) for a in c.classes for b in following)
        return keys

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
            best: dict[str, _Candidate] = {}
            for variant, synonym in self._variants(q):
                for doc, candidate in self._match_variant(variant, synonym).items():
                    if doc not in best or candidate.rank < best[doc].rank:
                        best[doc] = candidate
            ranked = sorted(
                best.items(),
                key=lambda item: (
                    item[1].rank,
                    -self._docs[item[0]].popularity,
                    self._docs[item[0]].title,
                ),
            )
            hits = tuple(self._hit(doc, c) for doc, c in ranked[: max(limit, 0)])
        return SearchResult(query, len(best), hits)

    def _variants(self, q: str) -> list[tuple[str, str | None]]:
        """The query itself, then the query with each synonym it contains replaced."""
        variants: list[tuple[str, str | None]] = [(q, None)]
        for typed, meant in self._synonyms.items():
            if typed in q:
                variants.extend((q.replace(typed, word), word) for word in meant)
        return variants

    def _match_variant(self, q: str, synonym: str | None) -> dict[str, _Candidate]:
        if has_letters(q):
            return self._match_typed(q.replace(" ", ""), synonym)
        terms = q.split(" ")
        found = [self._match_hanzi(term, synonym) for term in terms]
        # Several words: every word must match the item; it ranks by its weakest word.
        docs = set(found[0]).intersection(*found[1:])
        return {
            doc: _Candidate(
                max(f[doc].rank for f in found), found[0][doc].text, found[0][doc].span, synonym
            )
            for doc in docs
        }

    def _match_hanzi(self, term: str, synonym: str | None) -> dict[str, _Candidate]:
        best: dict[str, _Candidate] = {}
        for value_id in self._intersect(self._by_char, set(term)):
            value = self._values[value_id]
            start = value.text.find(term)
            if start < 0:
                continue
            if value.text == term:
                kind = MatchKind.EXACT
            elif start == 0:
                kind = MatchKind.PREFIX
            else:
                kind = MatchKind.SUBSTRING
            self._keep_uses(best, value, kind, (start, start + len(term)), synonym)
        return best

    def _match_typed(self, q: str, synonym: str | None) -> dict[str, _Candidate]:
        """Pinyin (mixed with Hanzi or not); a second pass forgives one typo if few matched."""
        hanzi = {ch for ch in q if is_hanzi(ch)}
        typed = TypedQuery(q, self.vocabulary())
        if hanzi:
            candidates = self._intersect(self._by_char, hanzi)
        else:
            candidates = self._typed_candidates(q, typos=False)
        best = self._verify(candidates, typed, synonym, typos=False)
        if len(best) < TYPO_FALLBACK and sum(ch.isalpha() for ch in q) >= MIN_TYPO_QUERY:
            if not hanzi:
                candidates = self._typed_candidates(q, typos=True)
            for doc, candidate in self._verify(candidates, typed, synonym, typos=True).items():
                best.setdefault(doc, candidate)
        return best

    def _verify(
        self, candidates: Iterable[int], typed: TypedQuery, synonym: str | None, *, typos: bool
    ) -> dict[str, _Candidate]:
        best: dict[str, _Candidate] = {}
        for value_id in candidates:
            value = self._values[value_id]
            if value.chars is None:
                continue
            cost, start, end = match_text(value.chars, typed, typos=typos)
            if cost != NO_MATCH:
                self._keep_uses(best, value, _PINYIN_KIND[cost], (start, end), synonym)
        return best

    def _typed_candidates(self, q: str, *, typos: bool) -> set[int]:
        """Texts that could spell ``q`` (letters and digits only): a superset the matcher checks.

        Spelled by one character, ``q`` is the start of one of its readings: looked up by
        reading prefix. Spelled by two or more, the first two characters are neighbours whose
        sound classes follow from each way the first syllable can be cut (``canji``: c+a, ca+n,
        can+j): looked up by pair. With ``typos``, the first two syllables may each be a slip.
        """
        vocabulary = self.vocabulary()
        found = set(self._by_prefix.get(q, ()))
        firsts = self._first_pieces(q)
        if typos:
            for near in near_syllables(q, vocabulary):
                found |= self._by_prefix.get(near, set())
            for length in range(MIN_TYPO_SYLLABLE - 1, min(len(q) - 1, 7) + 1):
                firsts |= {(near[0], length) for near in near_syllables(q[:length], vocabulary)}
        for first, length in firsts:
            seconds = {q[length]}
            if typos:
                for k in range(MIN_TYPO_SYLLABLE - 1, min(len(q) - length, 7) + 1):
                    seconds |= {n[0] for n in near_syllables(q[length : length + k], vocabulary)}
            for second in seconds:
                found |= self._by_pair.get(sound_class(first) + sound_class(second), set())
        return found

    def _first_pieces(self, q: str) -> set[tuple[str, int]]:
        """(first letter, length) for each way the first character may be spelled, short of all of q."""
        lengths = {1} if len(q) > 1 else set()
        if q[:2] in ("zh", "ch", "sh") and len(q) > 2:
            lengths.add(2)
        lengths.update(
            length for length in range(2, min(len(q) - 1, 7) + 1) if q[:length] in self._spellings
        )
        return {(q[0], length) for length in lengths}

    @staticmethod
    def _intersect(postings: dict[str, set[int]], keys: set[str]) -> set[int]:
        sets = sorted((postings.get(k, set()) for k in keys), key=len)
        if not sets:
            return set()
        return sets[0].intersection(*sets[1:])

    def _keep_uses(
        self,
        best: dict[str, _Candidate],
        value: _Value,
        kind: MatchKind,
        span: tuple[int, int],
        synonym: str | None,
    ) -> None:
        """Record the match for every item whose text this is, where it beats what they had."""
        for text_id in value.uses:
            text = self._texts[text_id]
            rank = (kind, text.spec.rank)
            held = best.get(text.doc)
            if held is None or rank < held.rank:
                best[text.doc] = _Candidate(rank, text_id, span, synonym)

    def _hit(self, doc_key: str, candidate: _Candidate) -> SearchHit:
        doc = self._docs[doc_key]
        text = self._texts[candidate.text]
        shown, span = self._values[text.value].text, candidate.span
        if len(shown) > 2 * _SNIPPET + (span[1] - span[0]):
            cut = max(span[0] - _SNIPPET, 0)
            shown = shown[cut : span[1] + _SNIPPET]
            span = (span[0] - cut, span[1] - cut)
        return SearchHit(
            kind=doc.kind,
            id=doc.id,
            title=doc.title,
            match=MatchKind(candidate.rank[0]),
            field=text.spec.name,
            matched_text=shown,
            span=span,
            synonym=candidate.synonym,
            popularity=doc.popularity,
        )
