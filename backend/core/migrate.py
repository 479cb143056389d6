"""The database schema, kept by Alembic (``backend/migrations``).

``upgrade(engine)`` runs at every start and by ``python -m backend migrate``:

- an empty database gets today's tables at once and is stamped with the newest revision
  (Alembic's recipe for a fresh database; ``tests/backend/test_backend_migrations.py`` proves
  that the models and the migrations describe the same schema);
- a database made before Alembic (tables, no ``alembic_version``) is brought to the first
  revision's shape (the two columns the old start-up added by hand) and stamped with it;
- then every newer revision is applied.

Two processes starting at once take turns: PostgreSQL through an advisory lock held for the
transaction, SQLite through its write lock (BEGIN IMMEDIATE). Everything runs in one
transaction, so a failed upgrade leaves the database as it was.
"""

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text

from backend.core.db import writer
from backend.tables import metadata

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
FIRST_REVISION = "0001"
_LOCK_ID = 0x53554E53  # "SUNS": the advisory lock migrations hold on PostgreSQL
# Columns the start-up used to add to databases made before them (before Alembic).
_PRE_ALEMBIC_COLUMNS = (("users", "facts", "JSON"), ("trips", "event_id", "VARCHAR(64)"))


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


@cache
def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(_config())


def head() -> str:
    revision = _scripts().get_current_head()
    assert revision is not None
    return revision


def current(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, to: str = "head") -> None:
    """Bring the database to revision ``to`` (see the module docstring)."""
    with writer(engine).begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _LOCK_ID})
        tables = set(inspect(connection).get_table_names())
        if not tables - {"alembic_version"} and to == "head":
            metadata.create_all(connection)
            command.stamp(_config(connection), "head")
            return
        if tables and "alembic_version" not in tables:
            _adopt_pre_alembic(connection)
        command.upgrade(_config(connection), to)


def _adopt_pre_alembic(connection: Connection) -> None:
    columns = inspect(connection)
    for table, column, sql_type in _PRE_ALEMBIC_COLUMNS:
        if column not in {c["name"] for c in columns.get_columns(table)}:
            connection.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN {column} {sql_type}")
    command.stamp(_config(connection), FIRST_REVISION)
