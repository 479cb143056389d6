"""Search over the local catalogue by Hanzi, pinyin, initials, fuzzy sounds, typos and synonyms."""

from services.search.catalog_search import CatalogSearch
from services.search.index import SearchIndex
from services.search.results import MatchKind, SearchHit, SearchResult

__all__ = ["CatalogSearch", "MatchKind", "SearchHit", "SearchIndex", "SearchResult"]
