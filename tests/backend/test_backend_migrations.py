"""The schema is Alembic's: migrations and models agree, on SQLite and PostgreSQL; a database
at the first revision (or made before Alembic) is upgraded with its rows kept."""

import subprocess
import sys
from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from sqlalchemy.orm import Session

from backend.core import migrate
from backend.core.config import Settings
from backend.core.db import create_db_engine
from backend.crud import get_user_by_phone
from backend.main import create_app
from backend.tables import metadata
from tests.databases import server_keys


@pytest.fixture
def engine(empty_db_url: str) -> Iterator[Engine]:
    engine = create_db_engine(empty_db_url, server_keys())
    yield engine
    engine.dispose()


def differences(engine: Engine) -> list[object]:
    """What autogenerate would write if the models had changed without a migration."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, metadata)


def revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return migrate.current(connection)


def test_migrating_step_by_step_gives_exactly_the_models_schema(engine: Engine):
    migrate.upgrade(engine, to=migrate.FIRST_REVISION)
    migrate.upgrade(engine)  # every revision after the first, one by one

    assert revision(engine) == migrate.head()
    assert differences(engine) == []


def test_a_new_database_gets_the_models_tables_stamped_with_the_newest_revision(engine: Engine):
    migrate.upgrade(engine)

    assert revision(engine) == migrate.head()
    assert differences(engine) == []


def test_a_database_at_the_first_revision_is_upgraded_with_its_rows(engine: Engine):
    migrate.upgrade(engine, to=migrate.FIRST_REVISION)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO users (phone, name, roles, version, example_data, created_at) "
                "VALUES ('13900000001', '张阿姨', '[\"resident\"]', 1, false, '2026-12-01')"
            )
        )

    migrate.upgrade(engine)

    with engine.connect() as connection:
        stored = connection.execute(text("SELECT name, phone FROM users")).one()
        tables = set(inspect(connection).get_table_names())
    assert all(value.startswith("sm4:") for value in stored)  # revision 0004 sealed them
    with Session(engine) as session:
        user = get_user_by_phone(session, "13900000001")  # by its new blind index
        assert user is not None and user.name == "张阿姨"
    assert not {"login_guards", "consent_guards"} & tables  # revision 0002 dropped them


def test_a_database_made_before_alembic_is_adopted_at_start(
    engine: Engine, empty_db_url: str, seed_dir
):
    """The tables create_all made, without a version table or the columns added later."""
    migrate.upgrade(engine, to=migrate.FIRST_REVISION)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE alembic_version"))
        connection.execute(text("ALTER TABLE users DROP COLUMN facts"))

    app = create_app(Settings(db_url=empty_db_url, seed_dir=seed_dir))
    app.state.engine.dispose()

    assert revision(engine) == migrate.head()
    assert differences(engine) == []


def test_the_migrate_command_brings_a_database_up_to_date(empty_db_url: str, engine: Engine):
    done = subprocess.run(
        [sys.executable, "-m", "backend", "migrate", "--db", empty_db_url],
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert f"revision {migrate.head()}" in done.stdout
    assert revision(engine) == migrate.head()
