"""A throw-away PostgreSQL cluster for tests and benches: Debian's binaries, a temp dir, a free
port on loopback, trust authentication, stopped and deleted afterwards.

PostgreSQL refuses to run as root, so when we are root the cluster belongs to the ``postgres``
user (created by Debian's package) and its commands run through ``runuser``. Durability is
switched off (fsync, synchronous commit): a test database is thrown away, and a commit that
waits for the disk would only measure the disk.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from psycopg import sql

from backend.embedded import free_port

SUPERUSER = "postgres"
FAST_UNSAFE = ("fsync=off", "synchronous_commit=off", "full_page_writes=off")


class PgClusterError(RuntimeError):
    """PostgreSQL is not installed or the cluster did not start."""


def bin_dir() -> Path:
    """The newest installed PostgreSQL's binaries (``SUNSHINE_PG_BIN`` overrides)."""
    if configured := os.environ.get("SUNSHINE_PG_BIN"):
        return Path(configured)
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3])
    )
    if not versions:
        raise PgClusterError(
            "PostgreSQL is not installed: `make test` installs Debian's postgresql package"
        )
    return versions[-1].parent


class PgCluster:
    """``start()`` → ``create_database()`` / ``url()`` … → ``stop()``."""

    def __init__(self, max_connections: int = 400) -> None:
        self.port = free_port()
        self.max_connections = max_connections
        self._bin = bin_dir()
        self._root = Path(tempfile.mkdtemp(prefix="sunshine-pg-"))
        self.data = self._root / "data"
        self._as_root = os.geteuid() == 0
        self._databases = 0

    def _run(self, *argv: str) -> None:
        command = [str(self._bin / argv[0]), *argv[1:]]
        if self._as_root:
            command = ["runuser", "-u", SUPERUSER, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise PgClusterError(f"{argv[0]} failed: {done.stderr.strip() or done.stdout}")

    def start(self) -> PgCluster:
        if self._as_root:
            user = pwd.getpwnam(SUPERUSER)
            os.chown(self._root, user.pw_uid, user.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, "-A", "trust", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")  # fmt: skip
        options = " ".join(
            f"-c {o}"
            for o in (
                *FAST_UNSAFE,
                f"port={self.port}",
                "listen_addresses=127.0.0.1",
                f"unix_socket_directories={self._root}",
                f"max_connections={self.max_connections}",
            )
        )
        log = self._root / "server.log"
        self._run("pg_ctl", "start", "-w", "-D", str(self.data), "-l", str(log), "-o", options)
        return self

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._run("pg_ctl", "stop", "-D", str(self.data), "-m", "immediate", "-w")
        finally:
            shutil.rmtree(self._root, ignore_errors=True)

    def url(self, database: str = SUPERUSER) -> str:
        """A SQLAlchemy URL (psycopg 3 driver)."""
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def _connect(self, database: str = SUPERUSER, *, autocommit: bool = True) -> psycopg.Connection:
        """As the superuser, to ``database`` (by default the maintenance one)."""
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user=SUPERUSER, dbname=database, autocommit=autocommit
        )

    def create_database(self, template: str | None = None) -> str:
        """A new database, empty or a copy of the database ``template`` (a URL of this cluster
        nobody is connected to); returns its SQLAlchemy URL."""
        self._databases += 1
        name = f"sunshine_{self._databases}"
        copy = f' TEMPLATE "{template.rsplit("/", 1)[1]}"' if template else ""
        with self._connect() as admin:
            admin.execute(f'CREATE DATABASE "{name}"{copy}')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        with self._connect() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def empty_database(self, url: str, *, keep: tuple[str, ...] = ()) -> None:
        """Delete every row of every table but ``keep``'s and restart every sequence: the
        database is then as its template left it, far cheaper than dropping it and copying
        the template again. Anyone still connected is disconnected first; foreign keys
        are not checked while rows go (as the superuser, ``session_replication_role``)."""
        name = url.rsplit("/", 1)[1]
        with self._connect() as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                (name,),
            )
        with self._connect(name, autocommit=False) as connection:
            connection.execute("SET LOCAL session_replication_role = replica")
            tables = connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            ).fetchall()
            for (table,) in tables:
                if table not in keep:
                    connection.execute(sql.SQL("DELETE FROM {}").format(sql.Identifier(table)))
            sequences = connection.execute(
                "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'"
            ).fetchall()
            for (sequence,) in sequences:
                connection.execute(
                    sql.SQL("ALTER SEQUENCE {} RESTART").format(sql.Identifier(sequence))
                )

    def dump(self, url: str) -> bytes:
        """``pg_dump`` of one database, as PostgreSQL's own tool writes it (plain SQL)."""
        command = [str(self._bin / "pg_dump"), "--no-password", libpq_url(url)]
        return subprocess.run(command, capture_output=True, check=True).stdout


def libpq_url(url: str) -> str:
    """A URL of ``url()``'s as libpq (psql, pg_dump, ``psycopg.connect``) takes it."""
    return url.replace("+psycopg", "")


@contextmanager
def running_cluster(**kwargs: int) -> Iterator[PgCluster]:
    cluster = PgCluster(**kwargs).start()
    try:
        yield cluster
    finally:
        cluster.stop()
