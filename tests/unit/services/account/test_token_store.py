"""Where the session's tokens live (services/account/tokens.py): the OS keyring, or memory only.

This machine has no OS keyring (no Secret Service, Keychain or Credential Locker: the default
backend here is ``keyring.backends.fail``). The keyring path is therefore driven through a real
``keyring.backend.KeyringBackend`` subclass defined below that keeps its entries in a dict --
the same interface the OS backends implement, so ``KeyringTokenStore`` cannot tell. Such a
subclass registers itself with keyring's backend discovery; its ``priority`` raises, as keyring
asks of unsuitable backends, so it is never chosen as anybody's default.

Every test that touches the global keyring gets it restored afterwards (``global_keyring``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backends.fail
import keyring.backends.null
import keyring.core
import keyring.errors
import pytest
from keyring.backend import KeyringBackend

from services.account.tokens import (
    KEYRING_SERVICE,
    KeyringTokenStore,
    MemoryTokenStore,
    keyring_account,
    open_token_store,
    safe_keyring_backend,
)
from services.api import TokenPair

PAIR = TokenPair(access_token="access-aaaaaaaa", refresh_token="refresh-rrrrrrrr", expires_in=900)
NEWER = TokenPair(access_token="access-bbbbbbbb", refresh_token="refresh-ssssssss", expires_in=900)


class NeverDiscovered:
    """A ``priority`` that raises: keyring's sign of a backend unsuitable for automatic use."""

    def __get__(self, instance: object, owner: type | None = None) -> float:
        raise RuntimeError("test backend: never chosen automatically")


class DictKeyring(KeyringBackend):
    """A real KeyringBackend, in memory: stands in for the OS keyring this machine lacks."""

    priority = NeverDiscovered()

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}
        self.writes = 0

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.writes += 1
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.entries[(service, username)]
        except KeyError:
            raise keyring.errors.PasswordDeleteError("no such entry") from None


class BrokenKeyring(DictKeyring):
    """A keyring that refuses every write and delete (locked, or its daemon went away)."""

    def set_password(self, service: str, username: str, password: str) -> None:
        self.writes += 1
        raise keyring.errors.PasswordSetError("keyring locked")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.KeyringError("keyring locked")


class UnreadableKeyring(DictKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("keyring locked")


class PlaintextFileKeyring(DictKeyring):
    """What ``keyrings.alt.file.PlaintextKeyring`` looks like to ``safe_keyring_backend``."""

    __module__ = "keyrings.alt.file"


class EncryptedFileKeyring(DictKeyring):
    __module__ = "keyrings.alt.file"


class Chainer(DictKeyring):
    """Like ``keyring.backends.chainer.ChainerBackend``: a backend holding several."""

    def __init__(self, backends: list[KeyringBackend]) -> None:
        super().__init__()
        self.backends = backends


@pytest.fixture(autouse=True)
def global_keyring() -> Iterator[None]:
    """Whatever a test does to keyring's global backend is undone afterwards."""
    original = keyring.get_keyring()
    yield
    keyring.set_keyring(original)


@pytest.fixture
def os_keyring() -> DictKeyring:
    backend = DictKeyring()
    keyring.set_keyring(backend)
    return backend


# -- the keyring path ---------------------------------------------------------------------------


def test_dict_keyring_is_never_picked_by_keyring_discovery():
    assert DictKeyring not in set(KeyringBackend.get_viable_backends())


def test_save_load_clear_round_trip(tmp_path: Path):
    backend = DictKeyring()
    store = KeyringTokenStore(backend, keyring_account(tmp_path))

    assert store.persistent is True
    assert store.load() is None
    store.save(PAIR)
    assert store.load() == PAIR
    store.save(NEWER)  # a refresh replaces the pair
    assert store.load() == NEWER
    assert len(backend.entries) == 1
    store.clear()
    assert store.load() is None
    assert backend.entries == {}


def test_the_pair_is_one_json_entry_under_the_service_and_data_dir_account(tmp_path: Path):
    backend = DictKeyring()
    KeyringTokenStore(backend, keyring_account(tmp_path)).save(PAIR)

    [(service, account)] = backend.entries
    assert (service, account) == (KEYRING_SERVICE, keyring_account(tmp_path))
    assert TokenPair.model_validate_json(backend.entries[(service, account)]) == PAIR


def test_a_restarted_app_finds_the_session_in_the_keyring(tmp_path: Path):
    backend = DictKeyring()
    KeyringTokenStore(backend, keyring_account(tmp_path)).save(PAIR)

    restarted = KeyringTokenStore(backend, keyring_account(tmp_path))
    assert restarted.load() == PAIR


def test_a_signed_out_session_does_not_come_back_after_a_restart(tmp_path: Path):
    backend = DictKeyring()
    store = KeyringTokenStore(backend, keyring_account(tmp_path))
    store.save(PAIR)
    store.clear()

    assert KeyringTokenStore(backend, keyring_account(tmp_path)).load() is None


def test_clearing_when_nothing_is_stored_is_fine(tmp_path: Path):
    store = KeyringTokenStore(DictKeyring(), keyring_account(tmp_path))
    store.clear()
    assert store.load() is None


def test_the_keyring_is_read_once_then_memory_serves(tmp_path: Path):
    backend = DictKeyring()
    KeyringTokenStore(backend, keyring_account(tmp_path)).save(PAIR)
    store = KeyringTokenStore(backend, keyring_account(tmp_path))
    assert store.load() == PAIR

    backend.entries.clear()  # changed behind the store's back
    assert store.load() == PAIR


def test_each_data_dir_has_its_own_account(tmp_path: Path):
    backend = DictKeyring()
    first, second = tmp_path / "one", tmp_path / "two"
    assert keyring_account(first) != keyring_account(second)

    KeyringTokenStore(backend, keyring_account(first)).save(PAIR)
    assert KeyringTokenStore(backend, keyring_account(second)).load() is None
    KeyringTokenStore(backend, keyring_account(second)).save(NEWER)
    assert KeyringTokenStore(backend, keyring_account(first)).load() == PAIR
    assert len(backend.entries) == 2


def test_the_same_data_dir_spelled_differently_is_the_same_account(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    monkeypatch.chdir(tmp_path)
    spellings = [data_dir, Path("data"), tmp_path / "data" / ".." / "data", Path("./data/")]
    assert {keyring_account(p) for p in spellings} == {keyring_account(data_dir)}
    account = keyring_account(data_dir)
    assert account.startswith("session-") and str(tmp_path) not in account


def test_a_failed_keyring_write_keeps_the_session_in_memory_and_writes_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
):
    # Everywhere a fallback could put a file is inside tmp_path, which must stay empty of files.
    for name in ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        (tmp_path / name).mkdir()
        monkeypatch.setenv(name, str(tmp_path / name))
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    backend = BrokenKeyring()
    store = KeyringTokenStore(backend, keyring_account(data_dir))

    store.save(PAIR)

    assert backend.writes == 1, "the keyring was tried"
    assert store.load() == PAIR, "still signed in for this run"
    assert [p for p in tmp_path.rglob("*") if not p.is_dir()] == []
    assert KeyringTokenStore(backend, keyring_account(data_dir)).load() is None, "not after"
    assert "keyring write failed" in caplog.text
    assert PAIR.access_token not in caplog.text and PAIR.refresh_token not in caplog.text


def test_a_failed_keyring_delete_still_signs_out_this_run(tmp_path: Path):
    store = KeyringTokenStore(BrokenKeyring(), keyring_account(tmp_path))
    store.save(PAIR)
    store.clear()
    assert store.load() is None


def test_an_unreadable_keyring_means_signed_out_not_a_crash(tmp_path: Path):
    store = KeyringTokenStore(UnreadableKeyring(), keyring_account(tmp_path))
    assert store.load() is None


@pytest.mark.parametrize("entry", ["", "not json", '{"access_token": "only half"}', "[]"])
def test_a_garbled_keyring_entry_means_signed_out(tmp_path: Path, entry: str):
    backend = DictKeyring()
    backend.entries[(KEYRING_SERVICE, keyring_account(tmp_path))] = entry
    assert KeyringTokenStore(backend, keyring_account(tmp_path)).load() is None


def test_memory_store_round_trip_and_not_persistent():
    store = MemoryTokenStore()
    assert store.persistent is False
    assert store.load() is None
    store.save(PAIR)
    assert store.load() == PAIR
    store.clear()
    assert store.load() is None


# -- which keyrings are safe ------------------------------------------------------------------


def test_a_real_os_style_keyring_is_used(os_keyring: DictKeyring):
    assert safe_keyring_backend() is os_keyring


@pytest.mark.parametrize(
    "unsafe",
    [
        keyring.backends.fail.Keyring,
        keyring.backends.null.Keyring,
        PlaintextFileKeyring,
        EncryptedFileKeyring,
    ],
    ids=["fail", "null", "keyrings.alt-plaintext", "keyrings.alt-encrypted"],
)
def test_no_keyring_or_a_file_keyring_is_refused(unsafe: type[KeyringBackend]):
    keyring.set_keyring(unsafe())
    assert safe_keyring_backend() is None


@pytest.mark.parametrize(
    "unsafe",
    [keyring.backends.fail.Keyring, keyring.backends.null.Keyring, PlaintextFileKeyring],
    ids=["fail", "null", "keyrings.alt"],
)
def test_a_chain_holding_any_unsafe_keyring_is_refused(unsafe: type[KeyringBackend]):
    keyring.set_keyring(Chainer([DictKeyring(), unsafe()]))
    assert safe_keyring_backend() is None


def test_an_empty_chain_is_refused():
    keyring.set_keyring(Chainer([]))
    assert safe_keyring_backend() is None


def test_a_chain_of_safe_keyrings_is_used():
    chain = Chainer([DictKeyring(), DictKeyring()])
    keyring.set_keyring(chain)
    assert safe_keyring_backend() is chain


def test_a_keyring_that_cannot_even_be_loaded_is_no_keyring(monkeypatch: pytest.MonkeyPatch):
    def broken() -> KeyringBackend:
        raise RuntimeError("bad keyringrc.cfg")

    monkeypatch.setattr(keyring, "get_keyring", broken)
    assert safe_keyring_backend() is None


# -- choosing the store -------------------------------------------------------------------------


def test_a_kiosk_keeps_tokens_in_memory_even_with_a_keyring(
    tmp_path: Path, os_keyring: DictKeyring
):
    store = open_token_store(tmp_path, kiosk=True)
    assert isinstance(store, MemoryTokenStore) and store.persistent is False
    store.save(PAIR)
    assert os_keyring.entries == {} and os_keyring.writes == 0


def test_a_desktop_with_a_keyring_keeps_the_session_across_restarts(
    tmp_path: Path, os_keyring: DictKeyring
):
    store = open_token_store(tmp_path / "data", kiosk=False)
    assert isinstance(store, KeyringTokenStore) and store.persistent is True
    store.save(PAIR)

    assert open_token_store(tmp_path / "data", kiosk=False).load() == PAIR
    assert open_token_store(tmp_path / "other-data", kiosk=False).load() is None


@pytest.mark.parametrize(
    "backend",
    [keyring.backends.fail.Keyring, keyring.backends.null.Keyring, PlaintextFileKeyring],
    ids=["fail", "null", "keyrings.alt"],
)
def test_without_a_safe_keyring_the_session_is_memory_only(
    tmp_path: Path, backend: type[KeyringBackend]
):
    keyring.set_keyring(backend())
    store = open_token_store(tmp_path, kiosk=False)
    assert isinstance(store, MemoryTokenStore)
    assert store.persistent is False  # the app tells the person they will sign in again
    store.save(PAIR)
    assert store.load() == PAIR
    assert list(tmp_path.iterdir()) == []


def test_a_headless_machine_default_keyring_gives_memory_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    # keyring's own detection, as on this machine (and any box without a keyring daemon).
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    keyring.core.init_backend()
    assert isinstance(keyring.get_keyring(), keyring.backends.fail.Keyring)

    store = open_token_store(tmp_path, kiosk=False)
    assert isinstance(store, MemoryTokenStore) and store.persistent is False
