"""Fixtures shared by the unit tests: a real SQLite store in the test's own directory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from services.sync.store import LocalStore


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "client" / "store.sqlite3"


@pytest.fixture
def store(path: Path) -> Iterator[LocalStore]:
    store = LocalStore(path)
    yield store
    store.close()
