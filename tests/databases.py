"""The two database engines every backend test runs on: a SQLite file (the embedded default)
and PostgreSQL (production), a new database in the suite's throw-away cluster."""

from __future__ import annotations

from pathlib import Path

import pytest

ENGINES = ("sqlite", "postgresql")


def new_database_url(request: pytest.FixtureRequest, engine: str, directory: Path) -> str:
    """An empty database on ``engine``, gone when ``request``'s fixture ends (a PostgreSQL
    database is dropped; a SQLite file lives in ``directory``)."""
    if engine == "sqlite":
        return f"sqlite:///{directory / 'backend.sqlite3'}"
    cluster = request.getfixturevalue("pg_cluster")
    url = cluster.create_database()
    request.addfinalizer(lambda: cluster.drop_database(url))
    return url
