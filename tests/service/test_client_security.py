"""Tokens never appear in logs or plain files (client side), against the real backend over HTTP.

Every logger -- the root, httpx, httpcore, stamina, services.*, backend.*, uvicorn.*,
sqlalchemy.* -- is turned up to DEBUG and captured, including those that do not propagate to
the root (uvicorn's access log). Then one session goes through everything that handles tokens:
a code request, sign-in, loading the personal data, two forced token refreshes (one whose answer
is lost: resent under the same Idempotency-Key it is refused, and the person signs in again), edits drained through a flaky network
(a lost answer, then no network at all), an action the server refuses, and sign-out.

Every token pair the client ever held is recorded by wrapping its token store's ``save``. None
of those tokens may appear in any captured log record (message, formatted args, extras,
traceback), on stdout/stderr, or in any file the client or the backend wrote: the client's data
dir, the backend's data dir and its SQLite database (with its WAL), which keeps only hashes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import update
from sync_support import DEV_CODE, BackendServer, FlakyTransport

from backend.core.config import Settings
from backend.core.crypto import FieldCipher
from backend.core.security import hash_token
from backend.demo_users import RESIDENT_PHONE
from backend.main import load_keys
from backend.models import AuthToken
from services.account.kinds import PROFILE_EDIT
from services.api import TokenPair
from services.client import PersonalServices
from services.errors import SignedOutError
from services.sync.sender import DrainStop

MakeClient = Callable[..., PersonalServices]
CLIENT = "client"  # the client's data dir: tmp_path / CLIENT (see make_store in conftest.py)
ADDRESS = "安全测试路 7 号"


@pytest.fixture
def every_log_at_debug(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Every logger at DEBUG, enabled, and feeding caplog -- also those that do not propagate.

    Loggers made later inherit the root's DEBUG. Everything is put back afterwards.
    """
    caplog.set_level(logging.DEBUG)
    saved: list[tuple[logging.Logger, int, bool, bool]] = []
    for logger in logging.root.manager.loggerDict.values():
        if not isinstance(logger, logging.Logger):
            continue  # a placeholder for a package with no logger of its own
        saved.append((logger, logger.level, logger.disabled, logger.propagate))
        logger.setLevel(logging.DEBUG)
        logger.disabled = False
        if not logger.propagate:
            logger.addHandler(caplog.handler)
    yield caplog
    for logger, level, disabled, propagate in saved:
        logger.setLevel(level)
        logger.disabled = disabled
        if not propagate:
            logger.removeHandler(caplog.handler)


def record_text(record: logging.LogRecord) -> str:
    """All a handler could write of a record: message, args, extras, traceback, stack."""
    parts = [logging.Formatter("%(name)s %(levelname)s %(message)s").format(record)]
    parts += [f"{name}={value!r}" for name, value in vars(record).items()]
    parts += [f"{name}={value}" for name, value in vars(record).items()]
    return "\n".join(parts)


def files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def revoke_access_tokens(backend: BackendServer) -> None:
    """The access token expires behind the client's back: its next call gets a 401."""
    with backend.session() as session:
        session.execute(update(AuthToken).where(AuthToken.kind == "access").values(revoked=True))
        session.commit()


def test_tokens_never_reach_logs_or_files(
    make_client: MakeClient,
    backend: BackendServer,
    tmp_path: Path,
    every_log_at_debug: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
):
    caplog = every_log_at_debug
    transport = FlakyTransport()
    client = make_client(backend.url, name=CLIENT, transport=transport)
    held: list[TokenPair] = []  # every pair the client was ever given
    tokens = client.account.tokens
    save = tokens.save

    def recording_save(pair: TokenPair) -> None:
        held.append(pair)
        save(pair)

    monkeypatch.setattr(tokens, "save", recording_save)

    # Sign in and load everything.
    client.account.request_code(RESIDENT_PHONE)
    client.account.sign_in(RESIDENT_PHONE, DEV_CODE)
    client.personal.refresh()

    # The access token expires: the next call refreshes the pair and goes through.
    revoke_access_tokens(backend)
    client.personal.refresh()

    # Again, and this time the refresh's answer is lost: it is resent with the same key, and
    # the server, which never answers one request with tokens twice, ends the sign-in. The
    # person signs in again.
    revoke_access_tokens(backend)
    transport.drop_response_of = transport.requests + 2  # 1: GET /me -> 401, 2: the refresh
    with pytest.raises(SignedOutError):
        client.personal.refresh()
    assert transport.requests >= transport.drop_response_of, "the refresh answer was dropped"
    assert client.account.tokens.load() is None
    client.account.sign_in(RESIDENT_PHONE, DEV_CODE)  # the dev code: no second text needed

    # An edit whose answer is lost, then one sent while the network is gone, then back.
    client.personal.edit_contact({"address": ADDRESS})
    transport.drop_response_of = transport.requests + 1
    assert client.sender.drain().sent == 1
    client.personal.edit_contact({"emergency_contact": "王小明 13911112222"})
    transport.fail_after = transport.requests
    assert client.sender.drain().stopped is DrainStop.OFFLINE
    owner = client.account.owner()
    assert owner is not None
    [waiting] = client.outbox.waiting(owner)
    assert waiting.last_error, "the failure is recorded in the client's database"

    # While signed in, with an error row in the outbox: nothing on disk holds a token.
    assert len(held) == 3, "sign-in, a refresh, sign-in again"
    secrets = {token for pair in held for token in (pair.access_token, pair.refresh_token)}
    assert len(secrets) == 6, "every pair is new"
    client.account.store.read("PRAGMA wal_checkpoint(TRUNCATE)")  # as a long session would
    assert_no_file_holds(tmp_path, secrets)
    assert_positive_controls(tmp_path, backend, held[-1])

    # The network is back; an action the server refuses is logged by the sender.
    transport.fail_after = None
    client.personal.reply_inbox(999_999, "interested")  # no such inbox item: 404
    result = client.sender.drain()
    assert (result.sent, result.rejected) == (1, 1)
    client.account.sign_out()
    assert client.account.tokens.load() is None

    assert_no_file_holds(tmp_path, secrets)
    assert_no_log_holds(caplog.records, secrets)
    out, err = capfd.readouterr()
    printed = [secret[:4] for secret in secrets if secret in out or secret in err]
    assert printed == [], "printed on stdout/stderr"

    # The capture really saw all of it (else the checks above prove nothing).
    seen = {record.name.split(".")[0] for record in caplog.records}
    assert {"httpx", "httpcore", "stamina", "services", "backend", "uvicorn"} <= seen, seen
    assert any(
        r.name == "uvicorn.access" and "/auth/refresh" in r.getMessage() for r in caplog.records
    )


def assert_no_file_holds(root: Path, secrets: set[str]) -> None:
    """No file under tmp_path: the client's data dir, the backend's database and its WAL, and
    the backend's data dir (tmp_path/backend-data, if it wrote anything there at all)."""
    files = files_under(root)
    assert any(p.is_relative_to(root / CLIENT) for p in files), "the client's files are there"
    assert any(p.name.startswith("backend.sqlite3") for p in files), "and the backend's"
    for path in files:
        data = path.read_bytes()
        for secret in secrets:
            leaked = secret.encode() in data  # not in the assert: its message would show it
            assert not leaked, (str(path.relative_to(root)), secret[:4] + "…")


def assert_positive_controls(root: Path, backend: BackendServer, pair: TokenPair) -> None:
    """The scanned bytes are the right ones: the client's outbox rows (their kind in the clear,
    the edit sealed: tests/unit/services/sync/test_kiosk_store.py) and the token's hash."""
    client_bytes = b"".join(p.read_bytes() for p in files_under(root / CLIENT))
    assert PROFILE_EDIT.encode() in client_bytes and b"sm4:" in client_bytes
    assert ADDRESS.encode() not in client_bytes
    backend_bytes = b"".join(p.read_bytes() for p in root.glob("backend.sqlite3*"))
    cipher = FieldCipher(load_keys(Settings(data_dir=backend.data_dir)))
    kept = hash_token(cipher, pair.access_token).encode()
    assert kept in backend_bytes, "the server keeps hashes"
    assert backend.db_path.exists()


def assert_no_log_holds(records: list[logging.LogRecord], secrets: set[str]) -> None:
    assert records, "nothing was captured"
    for record in records:
        text = record_text(record)
        for secret in secrets:
            leaked = secret in text
            assert not leaked, (record.name, record.levelname, record.msg)
