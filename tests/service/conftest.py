"""Service-test fixtures: the REAL reference backend over real HTTP, and a real local store.

* ``backend``: a uvicorn server in a background thread on a free port, serving ``create_app`` on
  a SQLite file in tmp_path, seeded from a tiny seed dir. It can be stopped and started again on
  the same port and database (``stop()`` / ``start()``) or pointed at another database
  (``start(db_path=…)``) while keeping its URL.
* ``backend.session()``: a SQLAlchemy session on the backend's own database, for changing the
  catalogue with ``backend.crud`` behind the server's back (callers commit).
* ``sync_support.FlakyTransport``: wraps the real ``httpx.HTTPTransport`` and injects network
  faults after a number of requests, recording every change served.

The helpers live in ``sync_support.py`` (a unique module name: tests/ has no packages).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, closing
from pathlib import Path

import httpx
import pytest
from sync_support import DEVICE_KEY, SMALL_SEED, BackendServer, write_seed_dir

from app.features import OUTBOX_KINDS
from backend.core.config import DEFAULT_SEED_DIR
from services.account.tokens import MemoryTokenStore
from services.api import ApiClient
from services.client import PersonalServices, build_personal_services
from services.sync.sender import RetryPolicy
from services.sync.store import LocalStore

# Tiny waits: the tests inject many failures and must not sleep through real backoffs.
FAST_RETRIES = RetryPolicy(
    attempts=3, wait_initial=0.01, wait_max=0.05, wait_jitter=0.01, timeout=5.0, pause_initial=0.0
)


@pytest.fixture
def small_seed_dir(tmp_path: Path) -> Path:
    return write_seed_dir(tmp_path / "seed", SMALL_SEED)


@pytest.fixture
def make_backend(tmp_path: Path) -> Iterator[Callable[..., BackendServer]]:
    """Start backends on fresh databases; every one is stopped at teardown."""
    with ExitStack() as made:

        def make(
            seed_dir: Path | None, name: str = "backend", database_url: str | None = None
        ) -> BackendServer:
            server = BackendServer(
                tmp_path / f"{name}.sqlite3", seed_dir, tmp_path / f"{name}-data", database_url
            )
            made.enter_context(closing(server)).start()
            return server

        yield make


@pytest.fixture
def backend(make_backend: Callable[..., BackendServer], small_seed_dir: Path) -> BackendServer:
    """A running reference backend seeded with SMALL_SEED."""
    return make_backend(small_seed_dir)


@pytest.fixture
def real_seed_backend(make_backend: Callable[..., BackendServer]) -> BackendServer:
    """A running reference backend seeded with the repo's assets/seed."""
    return make_backend(DEFAULT_SEED_DIR, name="real-seed")


@pytest.fixture
def make_api() -> Iterator[Callable[..., ApiClient]]:
    """ApiClients on a backend URL (optionally over a given transport); closed at teardown."""
    with ExitStack() as made:
        # Generous: faults are injected by the transport, never waited for, and on a loaded
        # machine (two suites side by side) a sign-in once took over 5 s.
        def make(url: str, transport: httpx.BaseTransport | None = None) -> ApiClient:
            return made.enter_context(closing(ApiClient(url, timeout=30.0, transport=transport)))

        yield make


@pytest.fixture
def api(make_api: Callable[..., ApiClient], backend: BackendServer) -> ApiClient:
    return make_api(backend.url)


@pytest.fixture
def make_store(tmp_path: Path) -> Iterator[Callable[[str], LocalStore]]:
    with ExitStack() as made:

        def make(name: str = "client") -> LocalStore:
            store = LocalStore(tmp_path / name / "store.sqlite3", key=DEVICE_KEY)
            return made.enter_context(closing(store))

        yield make


@pytest.fixture
def store(make_store: Callable[[str], LocalStore]) -> LocalStore:
    return make_store("client")


@pytest.fixture
def make_client(
    make_api: Callable[..., ApiClient], make_store: Callable[[str], LocalStore]
) -> Callable[..., PersonalServices]:
    """A client's signed-in side (own store, memory tokens) against a backend URL."""

    def make(
        url: str,
        name: str = "client",
        transport: httpx.BaseTransport | None = None,
        policy: RetryPolicy = FAST_RETRIES,
    ) -> PersonalServices:
        return build_personal_services(
            make_api(url, transport), make_store(name), MemoryTokenStore(), OUTBOX_KINDS, policy
        )

    return make
