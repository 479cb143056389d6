"""The search index kept in step with the local store: loaded once, then moved by each delta."""

from __future__ import annotations

import threading

from services.search.fields import SEARCHED_KINDS
from services.search.index import SearchIndex
from services.search.results import SearchResult
from services.sync.store import LocalStore


class CatalogSearch:
    """Search over what this device has saved, so it works offline.

    The index is built from the store the first time it is needed (or by ``load`` in the
    background at start-up); after that each catalogue page that arrives updates only the items
    it changed. A finished full resync rebuilds it, because deletions it implied have no change.
    """

    def __init__(self, store: LocalStore, index: SearchIndex | None = None) -> None:
        self.store = store
        self.index = index if index is not None else SearchIndex()
        self._loaded = False
        self._lock = threading.Lock()

    def load(self) -> None:
        with self._lock:
            if not self._loaded:
                self._rebuild()

    def search(self, query: str, limit: int = 50) -> SearchResult:
        self.load()
        return self.index.search(query, limit)

    def catalog_changed(self, touched: list[tuple[str, str]], full_resync: bool) -> None:
        """A ``CatalogSync`` listener: re-read each touched item from the store."""
        with self._lock:
            if not self._loaded:
                return  # the first search reads everything anyway
            if full_resync:
                self._rebuild()
                return
            for kind, item_id in touched:
                if kind not in SEARCHED_KINDS:
                    continue
                data = self.store.item(kind, item_id)
                if data is None:
                    self.index.remove(kind, item_id)
                else:
                    self.index.upsert(kind, data)

    def _rebuild(self) -> None:
        self.index.rebuild(
            (kind, data) for kind in SEARCHED_KINDS for data in self.store.items(kind)
        )
        self._loaded = True
