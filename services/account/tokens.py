"""Where the session's tokens live: the OS keyring, or memory only. Never a plain file.

* desktop: the OS keyring (Secret Service, macOS Keychain, Windows Credential Locker) through
  ``keyring``; one entry per data dir, so two app instances never share a session;
* no keyring backend on this machine (a headless Linux box, a container): memory only. The
  person stays signed in while the app runs and signs in again after a restart; the app says
  so (``persistent`` is False) instead of quietly writing tokens to disk;
* kiosk: memory only, always -- the next stranger at the screen must find nothing.

Backends that store secrets in plain or weakly encrypted files (``keyrings.alt``) are refused.

The store also keeps the key the person's rows in the local database are sealed with
(``data_key``, ``services.sync.sealing``): a second keyring entry, made on first use and kept
across sign-outs. Where the tokens live in memory, so does the key, and what the app sealed is
readable only while it runs.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from pathlib import Path
from typing import Protocol

import keyring
import keyring.errors
from keyring.backend import KeyringBackend

from services.api import TokenPair
from services.sync.sealing import KEY_BYTES, new_key

logger = logging.getLogger(__name__)

KEYRING_SERVICE = "sunshine"
_UNSAFE_BACKEND_MODULES = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")


class TokenStore(Protocol):
    persistent: bool  # survives a restart of the app

    def load(self) -> TokenPair | None: ...
    def save(self, tokens: TokenPair) -> None: ...
    def clear(self) -> None: ...
    def data_key(self) -> bytes: ...


class MemoryTokenStore:
    persistent = False

    def __init__(self) -> None:
        self._tokens: TokenPair | None = None
        self._lock = threading.Lock()
        self._data_key = new_key()

    def data_key(self) -> bytes:
        return self._data_key

    def load(self) -> TokenPair | None:
        with self._lock:
            return self._tokens

    def save(self, tokens: TokenPair) -> None:
        with self._lock:
            self._tokens = tokens

    def clear(self) -> None:
        with self._lock:
            self._tokens = None


class KeyringTokenStore:
    """One keyring entry holding the pair as JSON; a memory copy spares the keyring reads."""

    persistent = True

    def __init__(self, backend: KeyringBackend, account: str) -> None:
        self._backend = backend
        self._account = account
        self._memory = MemoryTokenStore()
        self._loaded = False

    def data_key(self) -> bytes:
        """The keyring's, or a new one saved there (if saving fails: this run's own)."""
        entry = f"{self._account}-data-key"
        try:
            stored = self._backend.get_password(KEYRING_SERVICE, entry)
        except keyring.errors.KeyringError as exc:
            logger.warning("keyring read failed: %s", type(exc).__name__)
            return self._memory.data_key()
        try:
            key = bytes.fromhex(stored or "")
        except ValueError:
            key = b""
        if len(key) == KEY_BYTES:
            return key
        key = self._memory.data_key()
        try:
            self._backend.set_password(KEYRING_SERVICE, entry, key.hex())
        except keyring.errors.KeyringError as exc:
            logger.warning("keyring write failed: %s", type(exc).__name__)
        return key

    def load(self) -> TokenPair | None:
        if not self._loaded:
            try:
                raw = self._backend.get_password(KEYRING_SERVICE, self._account)
            except keyring.errors.KeyringError as exc:
                logger.warning("keyring read failed: %s", type(exc).__name__)
                raw = None
            if raw:
                try:
                    self._memory.save(TokenPair.model_validate_json(raw))
                except ValueError:
                    logger.warning("keyring entry unreadable; signing in again")
            self._loaded = True
        return self._memory.load()

    def save(self, tokens: TokenPair) -> None:
        self._memory.save(tokens)
        self._loaded = True
        try:
            self._backend.set_password(KEYRING_SERVICE, self._account, tokens.model_dump_json())
        except keyring.errors.KeyringError as exc:
            # Still signed in for this run; the next start asks again. Never fall back to a file.
            logger.warning("keyring write failed: %s", type(exc).__name__)

    def clear(self) -> None:
        self._memory.clear()
        self._loaded = True
        try:
            self._backend.delete_password(KEYRING_SERVICE, self._account)
        except keyring.errors.PasswordDeleteError:
            pass  # nothing stored
        except keyring.errors.KeyringError as exc:
            logger.warning("keyring delete failed: %s", type(exc).__name__)


def keyring_account(data_dir: Path) -> str:
    """One account name per data dir: instances with their own data dirs sign in separately."""
    digest = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:16]
    return f"session-{digest}"


def safe_keyring_backend() -> KeyringBackend | None:
    """The platform keyring, or None when there is none or it would keep secrets in files."""
    try:
        backend = keyring.get_keyring()
    except Exception as exc:  # a misconfigured keyring must not stop the app
        logger.warning("no keyring: %s", type(exc).__name__)
        return None
    candidates = getattr(backend, "backends", [backend])  # a ChainerBackend holds several
    if not candidates or any(
        type(b).__module__.startswith(_UNSAFE_BACKEND_MODULES) for b in candidates
    ):
        return None
    return backend


def open_token_store(data_dir: Path, *, kiosk: bool) -> TokenStore:
    if kiosk:
        return MemoryTokenStore()
    backend = safe_keyring_backend()
    if backend is None:
        logger.info("no OS keyring: the session is kept in memory only")
        return MemoryTokenStore()
    return KeyringTokenStore(backend, keyring_account(data_dir))
