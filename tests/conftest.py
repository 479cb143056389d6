"""For the whole suite: the backend in dev mode, and nothing written to the person's own data dir.

The backend's default is production, which refuses to start without a database, key file and
SMS gateway (tests/backend/test_backend_production.py proves it with these unset). Tests ask
for dev mode as `make run` does; ones that construct settings without a data dir get a
throw-away one instead of the user's (dev mode keeps its key file there).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator

import pytest

from tests import databases
from tests.databases import MigratedDatabases
from tools.pg_cluster import PgCluster, running_cluster

_data_dir: str | None = None


def pytest_configure(config: pytest.Config) -> None:
    global _data_dir
    os.environ.setdefault("SUNSHINE_ENV", "dev")
    if "SUNSHINE_DATA_DIR" not in os.environ:
        _data_dir = tempfile.mkdtemp(prefix="sunshine-tests-")
        os.environ["SUNSHINE_DATA_DIR"] = _data_dir
    databases.TESTS_DATA_DIR = os.environ["SUNSHINE_DATA_DIR"]


def pytest_unconfigure(config: pytest.Config) -> None:
    if _data_dir is not None:
        shutil.rmtree(_data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    """One throw-away PostgreSQL cluster per test process, started the first time it is asked for."""
    with running_cluster() as cluster:
        yield cluster


@pytest.fixture(scope="session")
def migrated_databases(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> MigratedDatabases:
    """Per test process, the databases each backend test's own is copied from."""
    return MigratedDatabases(request, tmp_path_factory.mktemp("migrated"))
