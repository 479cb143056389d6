"""Run the reference backend inside another process (the app's ``make run``, tests, benches).

A uvicorn server on 127.0.0.1 in a daemon thread: it dies with its process, so Ctrl-C on the
app can never leave an orphan server behind.
"""

from __future__ import annotations

import socket
import threading
import time

import uvicorn

from backend.core.config import Settings
from backend.main import create_app


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class EmbeddedBackend:
    """``with EmbeddedBackend() as backend: backend.url`` — started, answering, then stopped."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        log_level: str = "warning",
    ) -> None:
        self.host = host
        self.port = port or free_port(host)
        app = create_app(settings or Settings())
        config = uvicorn.Config(app, host=host, port=self.port, log_level=log_level)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="backend", daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 15.0) -> EmbeddedBackend:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"embedded backend did not start on {self.url}")
            time.sleep(0.02)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(timeout)

    def __enter__(self) -> EmbeddedBackend:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
