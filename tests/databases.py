"""The two database engines every backend test runs on: a SQLite file (the embedded default)
and PostgreSQL (production), a new database in the suite's throw-away cluster.

A test's database is a copy of one migrated once per test process (``migrated_databases``):
building the schema for each of some 1,700 backend tests cost more than the tests. On
PostgreSQL, copying one and dropping it again still cost 90-180 ms of CPU per test, so a
database a test is done with is emptied (rows deleted, sequences restarted) and lent to the
next: the trip route tests' set-up on PostgreSQL took 12 s instead of 48 s. Migration tests
ask for an empty one, always new.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import psycopg
import pytest

from backend.core.config import Settings
from backend.core.db import create_db_engine
from backend.core.keys import KeyRing
from backend.core.migrate import head, upgrade
from backend.main import load_keys
from tools.pg_cluster import PgCluster, libpq_url

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
    rows, gone when ``request``'s fixture ends (a PostgreSQL database is dropped, or emptied
    and lent again; a SQLite file lives in ``directory``)."""
    databases: MigratedDatabases | None = (
        request.getfixturevalue("migrated_databases") if migrated else None
    )
    if engine == "sqlite":
        path = directory / "backend.sqlite3"
        if databases is not None:
            shutil.copyfile(databases.url(engine).removeprefix("sqlite:///"), path)
        return f"sqlite:///{path}"
    if databases is not None:
        url = databases.lend_postgresql()
        request.addfinalizer(lambda: databases.give_back(url))
        return url
    cluster = request.getfixturevalue("pg_cluster")
    url = cluster.create_database()
    request.addfinalizer(lambda: cluster.drop_database(url))
    return url


class MigratedDatabases:
    """A database per engine migrated to the newest revision, made the first time it is asked
    for and then only copied; and the PostgreSQL copies tests have given back, emptied."""

    def __init__(self, request: pytest.FixtureRequest, directory: Path) -> None:
        self._request = request
        self._directory = directory
        self._urls: dict[str, str] = {}
        self._idle: list[str] = []  # PostgreSQL databases given back, emptied

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

    def lend_postgresql(self) -> str:
        """A migrated PostgreSQL database with no rows: one given back, or a new copy."""
        if self._idle:
            return self._idle.pop()
        return self._cluster().create_database(template=self.url("postgresql"))

    def give_back(self, url: str) -> None:
        """Empty a lent database for the next test, unless its schema was changed (a test
        that migrates asks for an empty database instead, but if one did it here, the
        database is dropped rather than lent again)."""
        cluster = self._cluster()
        if _revision(url) != head():  # the template's: it was upgraded to head
            cluster.drop_database(url)
            return
        cluster.empty_database(url, keep=("alembic_version",))
        self._idle.append(url)

    def _cluster(self) -> PgCluster:
        return self._request.getfixturevalue("pg_cluster")


def _revision(url: str) -> str | None:
    """The database's Alembic revision (None without one, or without the table). What
    ``backend.core.migrate.current`` answers, over a plain connection: an engine made after
    every test to ask would cost more than the question."""
    with psycopg.connect(libpq_url(url)) as connection:
        try:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        except psycopg.errors.UndefinedTable:
            return None
    return row[0] if row else None
