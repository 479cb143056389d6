"""Catalogue delta sync: pull every change after our cursor into the local store."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from services.api import ApiClient
from services.errors import CursorExpiredError
from services.sync.store import LocalStore

PAGE_SIZE = 500


@dataclass(frozen=True)
class PullResult:
    changes: int  # catalogue changes received and applied (re-sent ones included)
    pages: int
    full_resync: bool  # the server refused our cursor (410) and we pulled from scratch


# Told after each page is committed: the (kind, id) of every change in it, and whether a full
# resync just finished (rows it did not see were deleted then, without a change of their own).
ChangeListener = Callable[[list[tuple[str, str]], bool], None]


class CatalogSync:
    """Pulls pages until the server says there is no more; a 410 restarts from scratch once."""

    def __init__(
        self,
        api: ApiClient,
        store: LocalStore,
        page_size: int = PAGE_SIZE,
        listeners: list[ChangeListener] | None = None,
    ) -> None:
        self.api = api
        self.store = store
        self.page_size = page_size
        self.listeners = listeners if listeners is not None else []

    def pull(self) -> PullResult:
        changes = pages = 0
        resynced = False
        while True:
            try:
                page = self.api.catalog_changes(self.store.cursor(), limit=self.page_size)
            except CursorExpiredError:
                if resynced:  # a cursor minted moments ago expired again: let the caller see it
                    raise
                self.store.begin_full_resync()
                resynced = True
                continue
            changes += self.store.apply_page(page.changes, page.next_cursor, last=not page.has_more)
            pages += 1
            touched = [(change.kind, change.id) for change in page.changes]
            for listener in self.listeners:
                listener(touched, resynced and not page.has_more)
            if not page.has_more:
                return PullResult(changes=changes, pages=pages, full_resync=resynced)
