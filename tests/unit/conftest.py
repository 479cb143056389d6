"""Fixtures shared by the unit tests: a real SQLite store in the test's own directory (with the
key its personal rows are sealed with, for reopening it), and the language sentences are said
in (Chinese again after each test)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.i18n import set_language
from services.sync.sealing import new_key
from services.sync.store import LocalStore


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "client" / "store.sqlite3"


@pytest.fixture
def store_key() -> bytes:
    """What the token store would keep: the key the person's rows are sealed with."""
    return new_key()


@pytest.fixture
def store(path: Path, store_key: bytes) -> Iterator[LocalStore]:
    store = LocalStore(path, key=store_key)
    yield store
    store.close()


@pytest.fixture
def english() -> Iterator[None]:
    set_language("en")
    yield
    set_language("zh_CN")


@pytest.fixture
def chinese() -> Iterator[None]:
    set_language("zh_CN")
    yield
    set_language("zh_CN")
