"""The two database engines every backend test runs on: a SQLite file (the embedded default)
and PostgreSQL (production), a new database in the suite's throw-away cluster.

A test's database is a copy of one migrated once per test process (``migrated_databases``):
building the schema for each of some 1,700 backend tests cost more than the tests. Migration
tests ask for an empty one.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from backend.core.config import Settings
from backend.core.db import create_db_engine
from backend.core.keys import KeyRing
from backend.core.migrate import upgrade
from backend.main import load_keys

ENGINES = ("sqlite", "postgresql")


TESTS_DATA_DIR: str | None = None  # SUNSHINE_DATA_DIR as pytest_configure set it


def server_keys() -> KeyRing:
    """The key ring the tests' dev-mode servers use (the dev key file in the tests' data dir):
    an engine made with it reads what they sealed. Not from the environment of the moment: a
    test may have cleared it (``test_backend_config_db``)."""
    return load_keys(Settings(env="dev", data_dir=TESTS_DATA_DIR or Settings().data_dir))


def new_database_url(
    request: pytest.FixtureRequest, engine: str, directory: Path, *, migrated: bool = False
) -> str:
    """A database on ``engine``, empty or (``migrated``) at the newest schema revision with no
    rows, gone when ``request``'s fixture ends (a PostgreSQL database is dropped; a SQLite
    file lives in ``directory``)."""
    template = request.getfixturevalue("migrated_databases").url(engine) if migrated else None
    if engine == "sqlite":
        path = directory / "backend.sqlite3"
        if template:
            shutil.copyfile(template.removeprefix("sqlite:///"), path)
        return f"sqlite:///{path}"
    cluster = request.getfixturevalue("pg_cluster")
    url = cluster.create_database(template=template)
    request.addfinalizer(lambda: cluster.drop_database(url))
    return url


class MigratedDatabases:
    """A database per engine migrated to the newest revision, made the first time it is asked
    for and then only copied."""

    def __init__(self, request: pytest.FixtureRequest, directory: Path) -> None:
        self._request = request
        self._directory = directory
        self._urls: dict[str, str] = {}

    def url(self, engine: str) -> str:
        if engine not in self._urls:
            if engine == "sqlite":
                url = f"sqlite:///{self._directory / 'backend.sqlite3'}"
            else:  # dropped with the cluster
                url = self._request.getfixturevalue("pg_cluster").create_database()
            migrating = create_db_engine(url, server_keys())
            try:
                upgrade(migrating)
            finally:
                migrating.dispose()  # a PostgreSQL template must have nobody connected
            self._urls[engine] = url
        return self._urls[engine]
