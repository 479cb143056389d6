"""Offline-first sync: the local store and the catalogue delta pull."""

from services.sync.catalog import CatalogSync, PullResult
from services.sync.store import LocalStore

__all__ = ["CatalogSync", "LocalStore", "PullResult"]
