"""Kiosk mode (``LocalStore(path, personal_in_memory=True)``): nothing of the person on disk;
an own device: the person's rows on disk, sealed (issue 18, item 8).

A person signs in through ``Account`` (against an in-process fake server), loads their data
through ``PersonalData``, queues actions through the ``Outbox`` and opens services counted by
``ServiceUsage``. Then every byte of every file in the data dir (the database, its -wal and
-shm) is searched for what they left: their phone, their name, their address, their event code,
their action's idempotency key and the service they used. The same run without kiosk mode
leaves the last two there in the clear (an id and a count), so the search is known to look in
the right place; the rest is sealed, and opens again only with the same key.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from app.features import OUTBOX_KINDS
from services.account.account import Account
from services.account.tokens import MemoryTokenStore
from services.api import ApiClient, CatalogChange
from services.catalog import Catalog
from services.personal import PersonalData
from services.sync.outbox import Outbox, OutboxStatus
from services.sync.sealing import new_key
from services.sync.store import PERSONAL_TABLES, PERSONAL_VALUE, LocalStore
from services.usage import ServiceUsage

PHONE = "13912345678"
NAME = "测试居民甄十一"
ADDRESS = "隐私测试路 88 弄 9 号"
SIGNUP_CODE = "Q7ZK-PRIVATE-CODE-4411"  # token-like: a personal event code the server gave
ACCESS, REFRESH = "acc-" + "x1" * 20, "ref-" + "y2" * 20
PRIVATE_SERVICE = "svc-private-usage-marker"
OWNER = "user-kiosk-7"
SEALED = {"phone", "name", "address", "signup code"}  # on an own device: sealed in the file
PLAIN_ON_A_DEVICE = {"idempotency key", "used service"}  # an action's id, a service's id


def problem(status: int, code: str) -> httpx.Response:
    return httpx.Response(
        status,
        json={"type": "about:blank", "title": code, "status": status, "code": code},
        headers={"content-type": "application/problem+json"},
    )


def fake_server(request: httpx.Request) -> httpx.Response:
    path = request.url.path.removeprefix("/api/v1")
    if path == "/auth/token":
        return httpx.Response(
            200, json={"access_token": ACCESS, "refresh_token": REFRESH, "expires_in": 900}
        )
    if path == "/me":
        return httpx.Response(
            200,
            json={"id": OWNER, "version": 1, "name": NAME, "phone": PHONE, "roles": []},
        )
    if path == "/me/signups":
        signup = {"id": "sgn-1", "event_id": "evt-1", "version": 1, "code": SIGNUP_CODE}
        return httpx.Response(200, json={"items": [signup]})
    if path == "/me/attendance":
        return httpx.Response(200, json={"items": [], "summary": {}, "blocks_signup": False})
    if path == "/volunteers/me":
        return problem(404, "not_found")
    if path.startswith(("/me/", "/trips/")):
        return httpx.Response(200, json={"items": []})
    return problem(404, "not_found")


@dataclass
class Session:
    store: LocalStore
    account: Account
    outbox: Outbox
    personal: PersonalData
    usage: ServiceUsage
    action_id: str = ""


def open_session(path: Path, *, kiosk: bool, key: bytes | None = None) -> Session:
    store = LocalStore(path, personal_in_memory=kiosk, key=key)
    api = ApiClient("http://backend.test", transport=httpx.MockTransport(fake_server))
    account = Account(api, MemoryTokenStore(), store)
    outbox = Outbox(store)
    return Session(
        store,
        account,
        outbox,
        PersonalData(store, outbox, account, OUTBOX_KINDS),
        ServiceUsage(store),
    )


def use_it_like_a_person(session: Session) -> None:
    """Catalogue sync, sign-in, personal data, an action, service use: the normal APIs only."""
    session.store.apply_page(
        [
            CatalogChange(
                kind="service",
                id="svc-public",
                version=1,
                deleted=False,
                data={"id": "svc-public", "name": "公开服务目录条目"},
            )
        ],
        "cursor-1",
        last=True,
    )
    session.account.sign_in(PHONE, "123456")
    session.personal.refresh()
    session.action_id = session.personal.edit_contact({"address": ADDRESS})
    session.usage.record(OWNER, PRIVATE_SERVICE, at=100.0)
    session.usage.record(None, PRIVATE_SERVICE + "-signed-out", at=101.0)


def personal_secrets(session: Session) -> dict[str, bytes]:
    return {
        "phone": PHONE.encode(),
        "name": NAME.encode(),
        "address": ADDRESS.encode(),
        "signup code": SIGNUP_CODE.encode(),
        "idempotency key": session.action_id.encode(),
        "used service": PRIVATE_SERVICE.encode(),
    }


def files_in(data_dir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(data_dir.rglob("*")) if p.is_file()}


def found(data_dir: Path, secrets: dict[str, bytes]) -> set[str]:
    """The names of the secrets any file in ``data_dir`` holds."""
    everything = files_in(data_dir)
    assert everything, "there are files to search"
    return {
        name for name, secret in secrets.items() if any(secret in b for b in everything.values())
    }


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "client"


@pytest.fixture
def kiosk(data_dir: Path) -> Iterator[Session]:
    session = open_session(data_dir / "store.sqlite3", kiosk=True)
    yield session
    session.store.close()


# -- nothing on disk -----------------------------------------------------------------------------


@pytest.mark.parametrize("kiosk_mode", [True, False], ids=["kiosk", "own-device"])
def test_a_kiosk_writes_nothing_personal_and_a_device_does(data_dir: Path, kiosk_mode: bool):
    session = open_session(data_dir / "store.sqlite3", kiosk=kiosk_mode)
    use_it_like_a_person(session)
    assert session.personal.view().me is not None, "the person's data is there to be shown"
    assert session.outbox.waiting(OWNER)[0].payload["changes"] == {"address": ADDRESS}
    assert session.usage.frequent(OWNER) == [PRIVATE_SERVICE]
    secrets = personal_secrets(session)
    assert {"store.sqlite3", "store.sqlite3-wal", "store.sqlite3-shm"} <= set(files_in(data_dir))

    while_open = found(data_dir, secrets)  # as a crash or a pulled plug would leave them
    session.store.close()
    after_close = found(data_dir, secrets)

    if kiosk_mode:
        assert while_open == set() and after_close == set()
    else:  # the positive control: the search finds what an own device keeps in the clear
        assert while_open == PLAIN_ON_A_DEVICE and after_close == PLAIN_ON_A_DEVICE
    assert b"\xe5\x85\xac\xe5\xbc\x80" in b"".join(files_in(data_dir).values()), "catalogue: 公开"
    for token in (ACCESS, REFRESH):  # tokens stay in memory in both modes
        assert not any(token.encode() in b for b in files_in(data_dir).values())


def test_the_catalogue_of_a_kiosk_stays_on_disk_for_the_next_start(data_dir: Path):
    session = open_session(data_dir / "store.sqlite3", kiosk=True)
    use_it_like_a_person(session)
    session.store.close()

    again = open_session(data_dir / "store.sqlite3", kiosk=True)
    try:
        assert again.store.cursor() == "cursor-1"
        assert Catalog(again.store).service("svc-public") is not None
        assert again.account.owner() is None, "the last person is gone"
        assert again.outbox.waiting(OWNER) == []
        assert again.usage.frequent(OWNER) == []
    finally:
        again.store.close()


def test_a_kiosk_deletes_what_an_earlier_own_device_run_left(data_dir: Path):
    path = data_dir / "store.sqlite3"
    device = open_session(path, kiosk=False)
    use_it_like_a_person(device)
    secrets = personal_secrets(device)
    device.store.close()
    assert found(data_dir, secrets) == PLAIN_ON_A_DEVICE

    kiosk = open_session(path, kiosk=True)
    for table in PERSONAL_TABLES:
        assert kiosk.store.read(f"SELECT COUNT(*) FROM main.{table}") == [(0,)], table
    assert kiosk.account.owner() is None
    assert kiosk.store.count() == 1, "the catalogue is kept"
    assert found(data_dir, secrets) == set(), "not even in the WAL or a free page"
    kiosk.store.close()
    assert found(data_dir, secrets) == set()


def test_a_kiosk_deletes_leftovers_still_in_the_wal_of_a_run_that_crashed(tmp_path: Path):
    device = open_session(tmp_path / "device" / "store.sqlite3", kiosk=False)
    use_it_like_a_person(device)
    secrets = personal_secrets(device)
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    for name in ("store.sqlite3", "store.sqlite3-wal"):  # the files as a crash leaves them
        shutil.copy(tmp_path / "device" / name, crashed / name)
    device.store.close()
    assert found(crashed, secrets) == PLAIN_ON_A_DEVICE

    kiosk = open_session(crashed / "store.sqlite3", kiosk=True)
    assert kiosk.store.count() == 1, "the committed catalogue page survived the crash"
    assert found(crashed, secrets) == set()
    kiosk.store.close()
    assert found(crashed, secrets) == set()


def test_an_own_device_reads_its_sealed_rows_again_only_with_the_same_key(data_dir: Path):
    path, key = data_dir / "store.sqlite3", new_key()
    device = open_session(path, kiosk=False, key=key)
    use_it_like_a_person(device)
    secrets = personal_secrets(device)
    device.store.close()
    assert found(data_dir, secrets) & SEALED == set()

    again = open_session(path, kiosk=False, key=key)  # the app restarted: the keyring's key
    me = again.personal.view().me
    assert me is not None and (me["name"], me["phone"]) == (NAME, PHONE)
    assert again.outbox.waiting(OWNER)[0].payload["changes"] == {"address": ADDRESS}
    again.store.close()

    copied = open_session(path, kiosk=False, key=new_key())  # the file, without its key
    assert copied.personal.view().me is None and copied.outbox.waiting(OWNER) == []
    assert copied.store.read("SELECT COUNT(*) FROM personal_data") == [(0,)], "dropped, not kept"
    assert copied.store.count() == 1, "the catalogue is not personal: kept"
    copied.store.close()


def test_rows_an_older_version_left_plain_are_sealed_when_the_store_opens(path: Path):
    first = LocalStore(path)
    with first.transaction() as db:  # as a version before sealing wrote them
        db.execute("INSERT INTO personal_data (key, value) VALUES ('me', ?)", (f'"{NAME}"',))
    first.close()
    key = new_key()

    reopened = LocalStore(path, key=key)
    try:
        assert reopened.read(f"SELECT {PERSONAL_VALUE} FROM personal_data") == [(f'"{NAME}"',)]
        [(stored,)] = reopened.read("SELECT value FROM personal_data")
        assert stored.startswith("sm4:")
    finally:
        reopened.close()
    assert NAME.encode() not in b"".join(files_in(path.parent).values())


# -- every existing query works unchanged, against the memory tables ----------------------------


def test_unqualified_names_resolve_to_the_memory_tables(kiosk: Session):
    assert kiosk.store.kiosk is True
    use_it_like_a_person(kiosk)
    for table in PERSONAL_TABLES:
        in_memory = kiosk.store.read(f"SELECT COUNT(*) FROM temp.{table}")[0][0]
        on_disk = kiosk.store.read(f"SELECT COUNT(*) FROM main.{table}")[0][0]
        unqualified = kiosk.store.read(f"SELECT COUNT(*) FROM {table}")[0][0]
        assert (on_disk, in_memory) == (0, unqualified) and in_memory > 0, table
    assert kiosk.store.read("PRAGMA temp_store") == [(2,)], "MEMORY"
    temp_objects = kiosk.store.read("SELECT type, name FROM temp.sqlite_master ORDER BY name")
    assert ("index", "outbox_status") in temp_objects
    main_index = kiosk.store.read(
        "SELECT tbl_name FROM main.sqlite_master WHERE name = 'outbox_status'"
    )
    assert main_index == [("outbox",)], "the file's index stays on the file's table"


def test_the_outbox_runs_its_whole_life_in_memory(kiosk: Session):
    use_it_like_a_person(kiosk)
    outbox, first = kiosk.outbox, kiosk.action_id
    second = kiosk.personal.reply_inbox(5, "interested")
    assert [i.id for i in outbox.waiting(OWNER)] == [first, second]
    assert outbox.waiting_count(OWNER) == 2 and kiosk.personal.view().waiting == 2

    outbox.mark_in_flight(first)
    item = outbox.get(first)
    assert item is not None and (item.status, item.attempts) == (OutboxStatus.IN_FLIGHT, 1)
    outbox.mark_waiting(first, "offline", 50.0)
    head = outbox.head(OWNER)
    assert head is not None and (head.id, head.last_error) == (first, "offline")
    with kiosk.store.transaction() as db:
        outbox.mark_done(db, first)
    outbox.mark_rejected(second, "not_found", "no such item")
    assert outbox.statuses(OWNER) == {first: OutboxStatus.DONE, second: OutboxStatus.REJECTED}
    assert [r.id for r in outbox.take_rejections(OWNER)] == [second]
    assert outbox.take_rejections(OWNER) == []
    assert outbox.forget_finished(older_than=float("inf")) == 2
    assert outbox.get(first) is None
    # seq keeps counting in memory (AUTOINCREMENT's sqlite_sequence is temp's too)
    third = outbox.get(kiosk.personal.reply_inbox(6, "interested"))
    assert third is not None and third.seq == 3
    for table in PERSONAL_TABLES:
        assert kiosk.store.read(f"SELECT COUNT(*) FROM main.{table}") == [(0,)], table


def test_sign_out_and_wipe_leave_nothing_in_the_memory_tables(kiosk: Session):
    use_it_like_a_person(kiosk)
    kiosk.account.sign_out()
    for table in PERSONAL_TABLES:
        assert kiosk.store.read(f"SELECT COUNT(*) FROM temp.{table}") == [(0,)], table
        assert kiosk.store.read(f"SELECT COUNT(*) FROM main.{table}") == [(0,)], table
    assert kiosk.account.owner() is None
    assert kiosk.usage.frequent(None) == [], "what was opened while signed out goes too"
    assert kiosk.store.count() == 1, "the catalogue is not personal"


def test_a_second_person_at_the_kiosk_finds_nothing_of_the_first(kiosk: Session):
    use_it_like_a_person(kiosk)
    kiosk.store.wipe_personal()
    assert kiosk.personal.view().me is None
    assert kiosk.personal.snapshots() == {}
    assert kiosk.outbox.statuses(OWNER) == {}
    assert kiosk.usage.frequent(OWNER) == []


def test_wipe_personal_clears_service_usage_on_an_own_device_too(store: LocalStore):
    assert store.kiosk is False
    usage = ServiceUsage(store)
    usage.record("someone", "svc-a")
    usage.record(None, "svc-b")
    store.wipe_personal()
    assert store.read("SELECT COUNT(*) FROM service_usage") == [(0,)]


def test_an_own_device_keeps_personal_rows_in_the_file(store: LocalStore):
    """Kiosk mode is opt-in: the default store makes no temp tables at all."""
    assert store.read("SELECT name FROM temp.sqlite_master") == []
    with store.transaction() as db:
        db.execute("INSERT INTO personal_data (key, value) VALUES ('k', ?)", (json.dumps(1),))
    assert store.read("SELECT COUNT(*) FROM main.personal_data") == [(1,)]
