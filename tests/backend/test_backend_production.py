"""The backend fails closed (issue 18, item 1): production is the default, dev is asked for, and
production starts only with what it needs and never with demo data or dev shortcuts."""

import json
import os
import stat
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, ClassVar

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import func, select

from backend.core.config import Settings
from backend.core.keys import DEV_KEY_FILE_NAME, KeyFileError, KeyRing
from backend.events.models import Event
from backend.models import CatalogItem, User
from backend.notify.sms import HttpSmsProvider, LoggingSmsProvider
from backend.trips.models import Volunteer

REPO_ROOT = Path(__file__).resolve().parents[2]
ProductionSettings = Callable[..., Settings]


def clean_environment(tmp_path: Path) -> dict[str, str]:
    """This process's environment without any SUNSHINE_* setting (the suite sets dev mode)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SUNSHINE_")}
    return env | {"HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data")}


def test_the_server_started_with_nothing_set_refuses_and_says_what_is_missing(tmp_path: Path):
    result = subprocess.run(
        [sys.executable, "-m", "backend", "--port", "9"],
        cwd=REPO_ROOT,
        env=clean_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 2, result.stdout + result.stderr
    for missing in ("SUNSHINE_BACKEND_DB", "SUNSHINE_KEY_FILE", "SUNSHINE_SMS_PROVIDER"):
        assert missing in result.stderr
    assert "Traceback" not in result.stderr
    assert not any(tmp_path.rglob("*.sqlite3")), "nothing was created"


def test_without_env_the_settings_are_production(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SUNSHINE_ENV")
    with pytest.raises(ValidationError, match="cannot run in production"):
        Settings()


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("dev_login_code", "246810"),
        ("auto_verify_volunteers", True),
        ("seed_dir", REPO_ROOT / "assets" / "seed"),
        ("sms_provider", "logging"),  # codes would be written to the log
        ("sms_gateway_url", "http://sms.gateway.invalid/send"),  # not over TLS
        ("sms_gateway_token", ""),
        ("key_file", None),
        ("db_url", ""),
        ("test_now", "2026-12-01T00:00:00Z"),
    ],
)
def test_production_refuses_each_dev_shortcut_and_each_missing_need(
    production_settings: ProductionSettings, setting: str, value: Any
) -> None:
    production_settings()  # complete: accepted
    name = "SUNSHINE_BACKEND_DB" if setting == "db_url" else f"SUNSHINE_{setting.upper()}"
    with pytest.raises(ValidationError, match=name):
        production_settings(**{setting: value})


def test_production_seeds_no_demo_data_and_verifies_no_volunteer(
    production_settings: ProductionSettings, make_app: Callable[..., FastAPI]
) -> None:
    app = make_app(production_settings())

    with app.state.session_factory() as session:
        for table in (CatalogItem, User, Event, Volunteer):
            assert session.scalar(select(func.count()).select_from(table)) == 0, table
    assert not app.state.settings.volunteers_auto_verified
    assert isinstance(app.state.sms, HttpSmsProvider)


def test_dev_mode_seeds_the_demo_and_logs_texts(
    tmp_path: Path, seed_dir: Path, make_app: Callable[..., FastAPI]
) -> None:
    app = make_app(Settings(env="dev", data_dir=tmp_path / "dev", seed_dir=seed_dir))

    with app.state.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(CatalogItem)) > 0
        assert session.scalar(select(func.count()).select_from(User)) > 0
    assert app.state.settings.volunteers_auto_verified
    assert isinstance(app.state.sms, LoggingSmsProvider)


# --- keys ------------------------------------------------------------------------------------


def test_production_does_not_start_without_a_readable_key_file(
    production_settings: ProductionSettings, make_app: Callable[..., FastAPI], tmp_path: Path
) -> None:
    missing = tmp_path / "no-such-keys.json"
    with pytest.raises(KeyFileError, match="does not exist"):
        make_app(production_settings(key_file=missing))
    assert not missing.exists(), "production never makes its own key"

    broken = tmp_path / "broken-keys.json"
    for text, problem in [
        ("{not json", "cannot be read"),
        (json.dumps({"current": "k2", "keys": {"k1": "00" * 32}}), "current id"),
        (json.dumps({"current": "k1", "keys": {"k1": "abcd"}}), "64 hex digits"),
    ]:
        broken.write_text(text)
        with pytest.raises(KeyFileError, match=problem):
            make_app(production_settings(key_file=broken))


def test_dev_mode_makes_its_own_key_once_readable_by_its_owner_only(
    tmp_path: Path, make_app: Callable[..., FastAPI]
) -> None:
    data_dir = tmp_path / "dev"
    first = make_app(Settings(env="dev", data_dir=data_dir, seed_dir=None)).state.keys
    again = make_app(Settings(env="dev", data_dir=data_dir, seed_dir=None)).state.keys

    assert first == again
    key_file = data_dir / DEV_KEY_FILE_NAME
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert [p.name for p in data_dir.iterdir() if p.name.startswith(".")] == []  # no drafts


def test_the_new_key_file_command_writes_a_key_and_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "backend", "new-key-file", str(path)],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert run().returncode == 0
    ring = KeyRing.load(path)
    assert len(ring.current_secret) == 32
    refused = run()
    assert refused.returncode == 1 and "never overwritten" in refused.stderr
    assert KeyRing.load(path) == ring


# --- the SMS gateway -----------------------------------------------------------------------


class Gateway(BaseHTTPRequestHandler):
    received: ClassVar[list[tuple[str, dict[str, Any]]]] = []
    status: ClassVar[int] = 200

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        Gateway.received.append((self.headers["Authorization"], body))
        self.send_response(Gateway.status)
        self.end_headers()

    def log_message(self, *args: object) -> None:  # keep the texts out of the test output
        pass


@pytest.fixture
def gateway() -> Iterator[str]:
    """A stand-in gateway on loopback (the real one is an operator's service)."""
    Gateway.received, Gateway.status = [], 200
    server = HTTPServer(("127.0.0.1", 0), Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/send"
    server.shutdown()
    server.server_close()


def test_the_http_provider_posts_each_text_with_its_token(gateway: str) -> None:
    provider = HttpSmsProvider(gateway, "gateway-token")
    provider.send("13800000001", "【阳光申办】验证码 123456")

    assert Gateway.received == [
        ("Bearer gateway-token", {"phone": "13800000001", "text": "【阳光申办】验证码 123456"})
    ]
    Gateway.status = 503
    with pytest.raises(httpx.HTTPStatusError):  # the text stays unsent and is tried again
        provider.send("13800000001", "again")


def test_the_gateway_connections_close_when_the_app_stops(
    production_settings: ProductionSettings, make_app: Callable[..., FastAPI], gateway: str
) -> None:
    app = make_app(production_settings())
    app.state.sms = provider = HttpSmsProvider(gateway, "gateway-token")  # on loopback
    with TestClient(app):
        provider.send("13800000001", "【阳光申办】验证码 123456")  # a connection is open now

    with pytest.raises(RuntimeError, match="closed"):  # httpx: the client has been closed
        provider.send("13800000001", "after the app stopped")
