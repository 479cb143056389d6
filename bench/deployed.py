"""The backend as a deployment runs it, for the benches: ``uvicorn --factory
backend.main:create_app`` in its own process(es), on a database of the caller's, in dev mode
(the demo catalogue and events, and the dev sign-in code). Apart from the load generator, as in
production: the two never share one interpreter lock, and each one's CPU can be counted.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from backend.embedded import free_port
from bench.at_once import API, TLS

ROOT = Path(__file__).resolve().parents[1]
DEV_CODE = "246810"


@dataclass(frozen=True)
class DeployedServer:
    url: str
    pid: int

    def cpu_seconds(self) -> float:
        """User + system CPU of the server and its children (uvicorn's workers), from /proc."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0.0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat.parent.name) == self.pid or int(fields[1]) == self.pid:
                total += (int(fields[11]) + int(fields[12])) / ticks
        return total


def own_cpu_seconds() -> float:
    """User + system CPU of this process (the load generator) so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@contextmanager
def deployed_server(db_url: str, workers: int, data_dir: Path) -> Iterator[DeployedServer]:
    """The server on a free port, ready (``/ready`` answers 200), stopped afterwards."""
    port = free_port()
    env = {
        **os.environ,
        "SUNSHINE_ENV": "dev",
        "SUNSHINE_DEV_LOGIN_CODE": DEV_CODE,
        "SUNSHINE_BACKEND_DB": db_url,
        "SUNSHINE_DATA_DIR": str(data_dir),
    }
    command = [
        sys.executable, "-m", "uvicorn", "--factory", "backend.main:create_app",
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
        "--log-level", "warning", "--no-access-log",
        # Longer than a user's think time: with uvicorn's 5 s, a request sent on a connection
        # the server is closing at that moment fails (10 of 20,014 did), as behind a proxy
        # whose keep-alive outlasts the server's (README).
        "--timeout-keep-alive", "30",
    ]  # fmt: skip
    server = subprocess.Popen(command, env=env, cwd=ROOT)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_ready(url, server)
        yield DeployedServer(url, server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)


def wait_ready(url: str, process: subprocess.Popen[Any], timeout: float = 120.0) -> None:
    """Until ``/ready`` answers 200; ``RuntimeError`` if ``process`` exits first or the time
    runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server on {url} exited with {process.returncode}")
        try:
            if httpx.get(f"{url}{API}/ready", timeout=2, verify=TLS).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the server on {url} never became ready")
