"""``python -m backend`` serves real HTTP and stops cleanly on Ctrl-C (SIGINT)."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

REPO_ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_health(url: str, process: subprocess.Popen[str], timeout: float) -> httpx.Response:
    deadline = time.monotonic() + timeout
    while True:
        assert process.poll() is None, "backend exited early"
        try:
            return httpx.get(url, timeout=1)
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_backend_serves_health_and_stops_on_sigint(tmp_path: Path, seed_dir: Path):
    port = _free_port()
    env = os.environ | {"SUNSHINE_SEED_DIR": str(seed_dir), "SUNSHINE_DATA_DIR": str(tmp_path)}
    env.pop("SUNSHINE_BACKEND_DB", None)
    env.pop("SUNSHINE_ENV", None)  # --dev asks for dev mode
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "backend",
            "--dev",
            "--port",
            str(port),
            "--db",
            f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        ],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        # Generous: make test runs this at the lowest CPU priority beside the browser tests,
        # and a second run beside it starves it further; up in about a second when idle.
        response = _wait_for_health(f"http://127.0.0.1:{port}/api/v1/health", process, 180)
        assert response.status_code == 200
        assert response.json()["status"] == "ok"

        changes = httpx.get(f"http://127.0.0.1:{port}/api/v1/catalog/changes", timeout=5).json()
        assert len(changes["changes"]) == 6

        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()

    assert process.returncode == 0, output
    assert "Traceback" not in output
    assert (tmp_path / "cli.sqlite3").exists()
