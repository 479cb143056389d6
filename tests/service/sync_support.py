"""Helpers for the service tests: a restartable real backend server, a fault-injecting transport,
a small seed catalogue and store snapshots. Imported by conftest.py and the tests (unique name, as
tests/ has no packages).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.core.config import Settings
from backend.core.db import create_db_engine, create_session_factory
from backend.embedded import free_port
from backend.main import create_app, load_keys
from backend.models import CatalogItem
from bench.at_once import TLS
from services.client import PersonalServices
from services.sync.sender import DrainStop
from services.sync.store import LocalStore

# The key a device's keyring keeps for its local store (TokenStore.data_key): the same across
# the restarts a test makes, as on a real device.
DEVICE_KEY = bytes(range(16))
HOST = "127.0.0.1"
DEV_CODE = "246810"  # the backend's SUNSHINE_DEV_LOGIN_CODE in service tests
START_TIMEOUT = 15.0
KINDS = ("district", "service", "policy", "institution", "event", "rule")

# Ten items (not a multiple of the page size 3 the tests use). Districts and services carry the
# fields services.catalog's read models require.
SMALL_SEED: dict[str, list[dict[str, Any]]] = {
    "districts.json": [
        {"id": "310101", "code": "310101", "name": "黄浦区", "order": 1},
        {"id": "310104", "code": "310104", "name": "徐汇区", "order": 2},
        {"id": "310115", "code": "310115", "name": "浦东新区", "order": 3},
    ],
    "services.json": [
        {"id": "svc-card", "name": "残疾人证申领", "common": True, "popularity": 90},
        {"id": "svc-bus", "name": "残疾人免费乘车", "common": True, "popularity": 80},
        {"id": "svc-rehab", "name": "社区康复服务", "common": False, "popularity": 50},
        {"id": "svc-aids", "name": "辅助器具适配", "common": False, "popularity": 40},
    ],
    "policies.json": [{"id": "pol-protection-law", "title": "残疾人保障法"}],
    "institutions.json": [
        {"id": "inst-dpf", "name": "上海市残疾人联合会"},
        {"id": "inst-home", "name": "阳光之家"},
    ],
}
SMALL_SEED_COUNT = sum(len(items) for items in SMALL_SEED.values())

Snapshot = dict[tuple[str, str], tuple[int, dict[str, Any]]]


def write_seed_dir(path: Path, files: dict[str, list[dict[str, Any]]]) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    for name, items in files.items():
        (path / name).write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    return path


class BackendServer:
    """The reference backend as a real HTTP server that can go down and come back."""

    def __init__(
        self, db_path: Path, seed_dir: Path | None, data_dir: Path, database_url: str | None = None
    ) -> None:
        """On the SQLite file ``db_path``, or on ``database_url`` (PostgreSQL) when given."""
        self.port = free_port(HOST)
        self.db_path = db_path
        self.database_url = database_url
        self.seed_dir = seed_dir
        self.data_dir = data_dir
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._engines: dict[Path, Any] = {}

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.db_path}"

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, *, db_path: Path | None = None, seed_dir: Path | None = None) -> None:
        """Serve ``db_path`` (default: the same database as before) on the same port."""
        assert not self.running, "already running"
        if db_path is not None:
            self.db_path = db_path
        if seed_dir is not None:
            self.seed_dir = seed_dir
        settings = Settings(
            data_dir=self.data_dir,
            db_url=self.db_url,
            seed_dir=self.seed_dir,
            dev_login_code=DEV_CODE,
        )
        app = create_app(settings)
        config = uvicorn.Config(
            app, host=HOST, port=self.port, log_level="warning", timeout_graceful_shutdown=5
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, name=f"backend:{self.port}", daemon=True)
        self._server, self._thread = server, thread
        thread.start()
        deadline = time.monotonic() + START_TIMEOUT
        while True:  # started, and answering real HTTP on the port
            if server.started and self._healthy():
                return
            if not thread.is_alive():
                raise RuntimeError(f"backend thread died while starting on {self.url}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"backend did not answer /api/v1/health on {self.url}")
            time.sleep(0.01)

    def _healthy(self) -> bool:
        try:
            return (
                httpx.get(f"{self.url}/api/v1/health", timeout=1.0, verify=TLS).status_code == 200
            )
        except httpx.TransportError:
            return False

    def stop(self) -> None:
        if self._server is None or self._thread is None:
            return
        self._server.should_exit = True
        self._thread.join(START_TIMEOUT)
        assert not self._thread.is_alive(), "backend did not stop"
        self._server = self._thread = None

    # -- direct database access (behind the server's back) -------------------------------------

    def _session_factory(self) -> Callable[[], Session]:
        engine = self._engines.get(self.db_path)
        if engine is None:
            keys = load_keys(Settings(data_dir=self.data_dir))  # the server's own dev key file
            engine = self._engines[self.db_path] = create_db_engine(self.db_url, keys)
        return create_session_factory(engine)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session on the current database; the caller commits."""
        with self._session_factory()() as session:
            yield session

    def live_items(self) -> Snapshot:
        """Every non-deleted item the server holds: (kind, id) -> (version, data)."""
        with self.session() as session:
            rows = session.scalars(select(CatalogItem).where(CatalogItem.deleted.is_(False)))
            return {(r.kind, r.id): (r.version, json.loads(r.data or "null")) for r in rows}

    def close(self) -> None:
        self.stop()
        for engine in self._engines.values():
            engine.dispose()
        self._engines.clear()


class FlakyTransport(httpx.BaseTransport):
    """The real HTTP transport with injected faults; records every catalogue change served.

    * ``fail_after=N``: requests after the N-th never leave (``httpx.ConnectError``).
    * ``drop_response_of=N``: the N-th request reaches the server, but its answer is lost
      (``httpx.ReadError``) and not recorded as served.
    """

    def __init__(self, fail_after: int | None = None, drop_response_of: int | None = None) -> None:
        self._inner = httpx.HTTPTransport()
        self.fail_after = fail_after
        self.drop_response_of = drop_response_of
        self.requests = 0
        self.served: list[tuple[str, str, int]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self.fail_after is not None and self.requests >= self.fail_after:
            raise httpx.ConnectError("injected: network gone", request=request)
        self.requests += 1
        response = self._inner.handle_request(request)
        if self.requests == self.drop_response_of:
            response.close()
            raise httpx.ReadError("injected: connection reset", request=request)
        if request.url.path.endswith("/catalog/changes") and response.status_code == 200:
            response.read()
            for change in response.json()["changes"]:
                self.served.append((change["kind"], change["id"], change["version"]))
        return response

    def close(self) -> None:
        self._inner.close()


def store_snapshot(store: LocalStore) -> Snapshot:
    """Everything the local store holds: (kind, id) -> (version, data)."""
    snapshot: Snapshot = {}
    for kind in KINDS:
        for data in store.items(kind):
            version = store.version(kind, data["id"])
            assert version is not None
            snapshot[(kind, data["id"])] = (version, data)
    return snapshot


def send_and_refresh(client: PersonalServices, sent: int | None = None) -> None:
    """Send everything waiting (all accepted), then fetch what the server now holds."""
    result = client.sender.drain()
    assert (result.rejected, result.stopped, result.waiting) == (0, DrainStop.EMPTY, 0), result
    if sent is not None:
        assert result.sent == sent
    client.personal.refresh()
