"""Search over the local catalogue by Hanzi, pinyin, initials, fuzzy sounds, typos and synonyms."""

from services.search.index import MatchKind, SearchHit, SearchIndex, SearchResult

__all__ = ["MatchKind", "SearchHit", "SearchIndex", "SearchResult"]
