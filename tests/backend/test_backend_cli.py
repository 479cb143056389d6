"""``python -m backend`` serves real HTTP and stops cleanly on Ctrl-C (SIGINT)."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from backend.core.config import Settings
from backend.crud import get_user_by_phone
from bench.at_once import TLS

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
            return httpx.get(url, timeout=1, verify=TLS)
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

        changes = httpx.get(
            f"http://127.0.0.1:{port}/api/v1/catalog/changes", timeout=5, verify=TLS
        ).json()
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


def test_the_staff_command_appoints_and_removes_staff(db_url: str, make_app, seed_dir):
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "backend", "staff", *args, "--db", db_url]
        return subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)

    appointed = run("139 1234 5678", "--districts", "310110,310101")
    assert appointed.returncode == 0, appointed.stderr
    assert appointed.stdout.strip() == "139****5678: staff in 310101, 310110."
    app = make_app(Settings(db_url=db_url, seed_dir=None))
    with app.state.session_factory() as session:
        user = get_user_by_phone(session, "13912345678")
        assert user is not None
        assert (user.roles, user.staff_districts) == (["resident", "staff"], ["310101", "310110"])

    removed = run("13912345678", "--districts", "")
    assert removed.returncode == 0 and "not staff" in removed.stdout
    with app.state.session_factory() as session:
        user = get_user_by_phone(session, "13912345678")
        assert user is not None and (user.roles, user.staff_districts) == (["resident"], None)

    refused = run("13912345678", "--districts", "999999")
    assert refused.returncode == 2 and "999999" in refused.stderr
