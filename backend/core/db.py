"""Engine and session factories.

SQLite gets WAL (readers never block the writer), a 30 s busy timeout instead of instant
"database is locked", enforced foreign keys, and real transactions: the sqlite3 driver's legacy
mode runs SELECTs outside any transaction, which would let one delta page mix two snapshots.
"""

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from backend.core.crypto import FieldCipher
from backend.core.keys import KeyRing
from backend.core.sealed import attach_cipher

SQLITE_BUSY_TIMEOUT_MS = 30_000  # a burst of writers (200 sign-ups at once) queues, not fails
WRITE_TRANSACTION = "sunshine_write_transaction"  # execution option: this session will write


def create_db_engine(db_url: str | URL, keys: KeyRing | None = None) -> Engine:
    """Build an engine for ``db_url``; SQLite files get their parent directory created. With
    ``keys`` it reads and writes sealed columns (``backend.core.sealed``); without, it cannot."""
    engine = _create_engine(make_url(db_url))
    if keys is not None:
        attach_cipher(engine.dialect, FieldCipher(keys))
    return engine


def _create_engine(url: URL) -> Engine:
    if url.get_backend_name() != "sqlite":
        # No cap on connections either (see below): a capped pool deadlocks under a burst.
        # What bounds them is the server's concurrency (uvicorn --limit-concurrency) times
        # its workers, which PostgreSQL's max_connections must allow (README, production).
        # Twenty kept open: a connection made per request beyond the pool (PostgreSQL forks a
        # backend for each) cost more than the request under load.
        # No ping before each use (a round trip per transaction, ~10% of the requests served
        # under load): a connection the database dropped fails the one request that meets it
        # (a 500 the client retries with its key), and the pool then replaces every
        # connection older than the failure. Recycled hourly, before idle-connection timeouts.
        return create_engine(url, pool_size=20, max_overflow=-1, pool_recycle=3600)

    kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False}}
    if _is_sqlite_memory(url):
        # One shared connection, or every session would see its own empty database.
        kwargs["poolclass"] = StaticPool
    else:
        Path(url.database or "").expanduser().parent.mkdir(parents=True, exist_ok=True)
        # No cap on connections (SQLite's are cheap; writers still queue on its lock). A sync
        # route keeps its session's connection until FastAPI has validated the response and
        # run the teardown, and the validation needs a worker thread again: with a capped pool
        # smaller than the thread pool, many concurrent requests (200 sign-ups at once) leave
        # every worker waiting for a connection held by a request that waits for a worker.
        kwargs["max_overflow"] = -1
        # Kept open: more than the worker threads (8 by default) ever hold at once. With
        # SQLAlchemy's default 5, a burst opened and closed connections beyond those, each
        # paying the PRAGMAs below (a quarter of the CPU of 200 sign-ups at once).
        kwargs["pool_size"] = 20
    engine = create_engine(url, **kwargs)
    _configure_sqlite(engine)
    return engine


def writer(engine: Engine) -> Engine:
    """``engine`` for sessions that will write (SQLite: BEGIN IMMEDIATE, see below)."""
    return engine.execution_options(**{WRITE_TRANSACTION: True})


def dialect_insert(session: Session) -> Callable[..., Any]:
    """The INSERT of ``session``'s database, with its ON CONFLICT clauses (both engines)."""
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def create_session_factory(engine: Engine) -> sessionmaker[Session]:
    sessions = sessionmaker(bind=engine)
    event.listen(sessions, "after_begin", _connected)
    event.listen(sessions, "after_transaction_end", _released)
    return sessions


_CONNECTED = "sunshine_connected"


def holds_connection(session: Session) -> bool:
    """Whether ``session`` has a transaction open on a connection, so that closing it waits
    on the database (a rollback, the connection back to its pool)."""
    return bool(session.info.get(_CONNECTED))


def _connected(session: Session, _transaction: Any, _connection: Any) -> None:
    session.info[_CONNECTED] = True


def _released(session: Session, transaction: Any) -> None:
    if transaction.parent is None:  # the outermost transaction ended: its connection went back
        session.info.pop(_CONNECTED, None)


def _is_sqlite_memory(url: URL) -> bool:
    database = url.database or ""
    return database in ("", ":memory:") or database.startswith("file::memory:")


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Hand BEGIN over to SQLAlchemy (see the "begin" hook) so SELECTs are transactional too.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys=ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A request that will write takes the write lock up front (BEGIN IMMEDIATE), waiting up
        # to busy_timeout for it. A plain BEGIN that reads and then writes fails at once with
        # "database is locked" when another writer committed in between: SQLite cannot wait
        # there without risking a deadlock.
        immediate = connection.get_execution_options().get(WRITE_TRANSACTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
