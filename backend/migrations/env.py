"""Alembic's environment: always run from ``backend.core.migrate`` with a live connection
(there is no alembic.ini; the server's own settings name the database)."""

from typing import Any

from alembic import context

from backend.tables import metadata


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Our column types are written as what they store, so a migration never imports the
    application code of the day it was written."""
    if type_ == "type" and hasattr(obj, "impl"):
        return f"sa.{obj.impl!r}"
    return False


connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_item=render_item,
    render_as_batch=True,  # SQLite alters a table by copying it
    compare_type=True,
)
context.run_migrations()
