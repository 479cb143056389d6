"""The suite's PostgreSQL databases: one a test gives back is lent again exactly as new."""

import psycopg
import pytest

from backend.core.config import DEFAULT_SEED_DIR, Settings
from backend.main import create_app
from tests.databases import MigratedDatabases
from tools.pg_cluster import libpq_url


def _state(url: str) -> tuple[dict[str, int], dict[str, tuple[int, bool]]]:
    """Rows per table, and each sequence's (last value, called)."""
    with psycopg.connect(libpq_url(url)) as connection:
        tables = connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        ).fetchall()
        rows = {
            table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            for (table,) in tables
        }
        sequences = connection.execute(
            "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'"
        ).fetchall()
        states = {
            name: connection.execute(f'SELECT last_value, is_called FROM "{name}"').fetchone()
            for (name,) in sequences
        }
    return rows, states


def _use(url: str) -> None:
    """What a dev-mode app leaves behind: the demo catalogue, users, events and their ids."""
    app = create_app(Settings(db_url=url, seed_dir=DEFAULT_SEED_DIR))
    app.state.engine.dispose()


def test_a_database_given_back_is_lent_again_as_a_new_copy(migrated_databases: MigratedDatabases):
    fresh = migrated_databases.lend_postgresql()
    new = _state(fresh)
    _use(fresh)
    used = _state(fresh)
    assert sum(used[0].values()) > sum(new[0].values())
    assert any(called for _, called in used[1].values())

    migrated_databases.give_back(fresh)
    again = migrated_databases.lend_postgresql()
    assert again == fresh
    assert _state(again) == new
    migrated_databases.give_back(again)


def test_a_database_whose_schema_changed_is_dropped_not_lent_again(
    migrated_databases: MigratedDatabases,
):
    changed = migrated_databases.lend_postgresql()
    with psycopg.connect(libpq_url(changed)) as connection:
        connection.execute("DROP TABLE alembic_version")
    migrated_databases.give_back(changed)
    assert migrated_databases.lend_postgresql() != changed
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(libpq_url(changed)).close()
