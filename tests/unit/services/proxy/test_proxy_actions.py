"""Acting on behalf on the client (services/proxy/commands.py, services/proxy/kinds.py and the
principals of services/account/account.py), over a real LocalStore and an in-process fake server:
the consent kinds show at once and settle right; the checks refuse before queueing; one
principal's queued actions are never overlaid on, or sent as, another's."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from app.features import OUTBOX_KINDS
from services.account.account import ACTING_KEY, Account
from services.account.tokens import MemoryTokenStore
from services.api import ApiClient, ApiResponse
from services.errors import InputError
from services.inbox.kinds import INBOX_REPLY
from services.personal import PersonalData
from services.proxy.commands import ProxyCommands, clean_consent_code
from services.proxy.kinds import (
    CONSENT_CONFIRM,
    CONSENT_END,
    CONSENT_WITHDRAW,
    CONSENTS,
    PROXY_CONSENTS,
)
from services.sync.outbox import Outbox, act_for_of, principal_of
from services.sync.sender import OutboxSender, RetryPolicy
from services.sync.store import (
    OWNER_KEY,
    PERSONAL_VALUE,
    LocalStore,
    read_snapshot,
    save_snapshot,
    write_personal,
)

OWNER = "7"
CONSENT = "c-1"
FAST = RetryPolicy(attempts=1, wait_initial=0.0, wait_max=0.0, wait_jitter=0.0, pause_initial=0.0)


def consent(consent_id: str = CONSENT, state: str = "active", **fields: Any) -> dict[str, Any]:
    return {
        "id": consent_id,
        "state": state,
        "resident": {"id": 1, "name": "张阿姨", "phone_masked": "138****0001"},
        "helper": {"id": 7, "name": "", "phone_masked": "150****0007"},
        "granted_at": "2026-11-20T02:00:00Z",
        "expires_at": "2026-11-20T14:00:00Z",
        "ended_at": None,
        "version": 1,
        "actions": [],
        **fields,
    }


class FakeServer:
    """Records every request (with its X-Act-For) and answers what the tests need."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, str | None]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/api/v1")
        self.requests.append((request.method, path, request.headers.get("X-Act-For")))
        if path.startswith("/me/inbox/"):
            return httpx.Response(200, json={"id": 5, "answer": "interested"})
        if path == "/auth/logout":
            return httpx.Response(204)
        return httpx.Response(404, json={"code": "not_found", "status": 404})


@pytest.fixture
def server() -> FakeServer:
    return FakeServer()


@pytest.fixture
def services(store: LocalStore, server: FakeServer):
    api = ApiClient("http://test", transport=httpx.MockTransport(server))
    tokens = MemoryTokenStore()
    from services.api import TokenPair

    tokens.save(TokenPair(access_token="a", refresh_token="r"))
    account = Account(api, tokens, store)
    outbox = Outbox(store)
    personal = PersonalData(store, outbox, account, OUTBOX_KINDS)
    with store.transaction() as db:
        write_personal(db, OWNER_KEY, OWNER)
        save_snapshot(db, "me", {"id": 7, "version": 1, "phone": "15000000007"})
        save_snapshot(db, "inbox", [{"id": 5, "answer": None}])
        save_snapshot(db, CONSENTS, [consent("mine-1", helper={"id": 9})])
        save_snapshot(db, PROXY_CONSENTS, [consent()])
    sender = OutboxSender(account, outbox, personal, FAST)
    yield account, outbox, personal, ProxyCommands(personal), sender
    api.close()


# -- the kinds ----------------------------------------------------------------------------------


def test_withdraw_shows_at_once_and_settles_with_the_answer(store: LocalStore):
    kind = OUTBOX_KINDS[CONSENT_WITHDRAW]
    snapshots = {CONSENTS: [consent(), consent("c-2")]}

    kind.overlay(snapshots, {"consent_id": CONSENT})

    assert [(c["state"], c.get("sending")) for c in snapshots[CONSENTS]] == [
        ("withdrawn", True),
        ("active", None),
    ]
    assert kind.request({"consent_id": CONSENT}).path == f"/me/consents/{CONSENT}/withdraw"
    with store.transaction() as db:
        save_snapshot(db, CONSENTS, [consent(), consent("c-2")])
        answer = consent(state="withdrawn", version=2)
        kind.settle(db, {"consent_id": CONSENT}, ApiResponse(200, answer, httpx.Headers()))
        assert read_snapshot(db, CONSENTS) == [answer, consent("c-2")]


def test_confirm_shows_a_pending_consent_active_at_once_and_settles(store: LocalStore):
    kind = OUTBOX_KINDS[CONSENT_CONFIRM]
    snapshots = {CONSENTS: [consent(state="pending"), consent("c-2", state="withdrawn")]}

    kind.overlay(snapshots, {"consent_id": CONSENT})
    kind.overlay(snapshots, {"consent_id": "c-2"})  # refused meanwhile: left as it is

    assert [(c["state"], c.get("sending")) for c in snapshots[CONSENTS]] == [
        ("active", True),
        ("withdrawn", None),
    ]
    assert kind.request({"consent_id": CONSENT}).path == f"/me/consents/{CONSENT}/confirm"
    with store.transaction() as db:
        save_snapshot(db, CONSENTS, [consent(state="pending")])
        answer = consent(version=2)
        kind.settle(db, {"consent_id": CONSENT}, ApiResponse(200, answer, httpx.Headers()))
        assert read_snapshot(db, CONSENTS) == [answer]


def test_refusing_a_pending_consent_shows_it_withdrawn():
    snapshots = {CONSENTS: [consent(state="pending")]}

    OUTBOX_KINDS[CONSENT_WITHDRAW].overlay(snapshots, {"consent_id": CONSENT})

    assert snapshots[CONSENTS][0]["state"] == "withdrawn"


def test_an_overlay_leaves_a_consent_no_longer_active_as_it_is():
    snapshots = {PROXY_CONSENTS: [consent(state="expired")]}

    OUTBOX_KINDS[CONSENT_END].overlay(snapshots, {"consent_id": CONSENT})

    assert snapshots[PROXY_CONSENTS] == [consent(state="expired")]


def test_end_leaves_the_helpers_live_list_when_settled(store: LocalStore):
    kind = OUTBOX_KINDS[CONSENT_END]
    assert kind.request({"consent_id": CONSENT}).path == f"/proxy/consents/{CONSENT}/end"
    with store.transaction() as db:
        save_snapshot(db, PROXY_CONSENTS, [consent(), consent("c-2")])
        ended = consent(state="ended", version=2)
        kind.settle(db, {"consent_id": CONSENT}, ApiResponse(200, ended, httpx.Headers()))
        assert read_snapshot(db, PROXY_CONSENTS) == [consent("c-2")]


# -- checks -------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["12345678", " 1234 5678 ", "1234-5678"])
def test_a_code_is_eight_digits_spaces_ignored(typed: str):
    assert clean_consent_code(typed) == "12345678"


@pytest.mark.parametrize(
    "typed", ["", "123456", "1234567", "123456789", "1234567a", "１２３４５６７８", "١٢٣٤٥٦٧٨"]
)
def test_anything_else_is_refused_before_sending(typed: str, services, server: FakeServer):
    *_, proxy, _sender = services
    with pytest.raises(InputError) as refused:
        proxy.redeem("13800000001", typed)
    assert (refused.value.field, refused.value.code) == ("consent_code", "invalid_format")
    assert server.requests == []


@pytest.mark.parametrize("typed", ["", "1380000000", "23800000001"])
def test_the_residents_phone_is_checked_before_sending(typed: str, services, server: FakeServer):
    *_, proxy, _sender = services
    with pytest.raises(InputError) as refused:
        proxy.redeem(typed, "12345678")
    assert refused.value.field == "phone"
    assert server.requests == []


def test_withdraw_and_end_check_what_is_shown(services, store: LocalStore):
    account, _outbox, personal, proxy, _sender = services
    with store.transaction() as db:
        save_snapshot(db, CONSENTS, [consent("gone", state="expired")])

    for call, consent_id, code in [
        (proxy.withdraw, "nope", "consent_not_found"),
        (proxy.withdraw, "gone", "consent_expired"),
        (proxy.confirm, "gone", "consent_expired"),
        (proxy.confirm, "mine-1", "consent_not_found"),  # replaced above
        (proxy.end, "nope", "consent_not_found"),
        (proxy.act_for, "nope", "consent_not_found"),
    ]:
        with pytest.raises(InputError) as refused:
            call(consent_id)
        assert (refused.value.field, refused.value.code) == ("consent", code)
    with pytest.raises(InputError) as lasts:
        proxy.create_code("year")
    assert lasts.value.code == "invalid"

    with store.transaction() as db:
        save_snapshot(db, PROXY_CONSENTS, [consent(state="pending")])
    with pytest.raises(InputError) as early:
        proxy.act_for(CONSENT)
    assert early.value.code == "consent_pending"

    account.start_acting(consent())
    for call in (
        proxy.create_code,
        lambda: proxy.end(CONSENT),
        lambda: proxy.withdraw("x"),
        lambda: proxy.confirm("x"),
        lambda: proxy.watch_granted(),
        lambda: proxy.watch_held(CONSENT),
    ):
        with pytest.raises(InputError) as acting:
            call()
        assert (acting.value.field, acting.value.code) == ("proxy", "not_on_behalf")
    assert personal.view().consents == [] and personal.view().proxy_consents == []


# -- principals ---------------------------------------------------------------------------------


def test_principals_name_the_consent():
    assert principal_of("7", None) == "7" and act_for_of("7") is None
    assert principal_of("7", "c-1") == "7~c-1" and act_for_of("7~c-1") == "c-1"
    assert act_for_of(None) is None


def test_acting_is_kept_in_the_store_and_replaces_the_snapshots(services, store: LocalStore):
    account, _outbox, personal, _proxy, _sender = services

    acting = account.start_acting(consent())

    assert acting == {"consent_id": CONSENT, "resident_id": "1", "resident_name": "张阿姨"}
    assert json.loads(
        store.read(f"SELECT {PERSONAL_VALUE} FROM personal_data WHERE key = '{ACTING_KEY}'")[0][0]
    )
    assert account.principal() == f"{OWNER}~{CONSENT}"
    view = personal.view()
    assert view.me is None and view.inbox == [] and view.acting_for == acting
    assert Account(account.api, account.tokens, store).acting_for() == acting  # a restart
    account.stop_acting()
    assert account.acting_for() is None and account.principal() == OWNER
    store.wipe_personal()
    assert account.acting_for() is None


def test_one_principals_actions_never_overlay_anothers(services, store: LocalStore):
    account, outbox, personal, _proxy, sender = services
    mine = personal.reply_inbox(5, "interested")
    account.start_acting(consent())
    with store.transaction() as db:
        save_snapshot(db, "inbox", [{"id": 5, "answer": None}])  # the resident's inbox

    theirs = personal.reply_inbox(5, "need_help")

    assert [i["answer"] for i in personal.view().inbox] == ["need_help"]
    assert [i.id for i in outbox.waiting(account.principal())] == [theirs]
    assert [i.id for i in outbox.waiting(OWNER)] == [mine]
    assert sender.waiting() == 2  # the user's, whoever they were queued as
    assert outbox.get(theirs).owner == f"{OWNER}~{CONSENT}"


def test_stopping_with_the_residents_actions_waiting(services, server: FakeServer):
    account, outbox, personal, _proxy, sender = services
    account.start_acting(consent())
    theirs = personal.act(INBOX_REPLY, {"item_id": 5, "answer": "interested", "note": None})

    with pytest.raises(InputError) as waiting:
        account.stop_acting()
    assert (waiting.value.field, waiting.value.code) == ("proxy", "actions_waiting")
    with pytest.raises(InputError):
        account.start_acting(consent("c-2"))  # switching residents: the same rule
    account.stop_acting(keep_waiting=True)

    assert personal.view().waiting == 0
    result = sender.drain()
    assert result.sent == 1 and outbox.get(theirs).status == "done"
    assert server.requests == [("POST", "/me/inbox/5/reply", CONSENT)]  # as the resident
    assert personal.view().inbox == []  # her answer is not stored as mine (snapshots replaced)


def test_force_stopping_drops_only_the_residents_actions(services):
    account, outbox, personal, _proxy, sender = services
    mine = personal.reply_inbox(5, "interested")
    account.start_acting(consent())
    personal.act(INBOX_REPLY, {"item_id": 5, "answer": "need_help", "note": None})

    account.stop_acting(force=True)

    assert [i.id for i in outbox.waiting(OWNER)] == [mine] and sender.waiting() == 1


def test_calls_send_the_header_only_while_acting(services, server: FakeServer):
    account, *_ = services
    for call in (lambda: account.call("GET", "/x"), lambda: account.call("GET", "/x")):
        with pytest.raises(Exception):  # noqa: B017 - the fake answers 404
            call()
        account.start_acting(consent())
    with pytest.raises(Exception):  # noqa: B017
        account.call("GET", "/x", principal=OWNER)
    assert [r[2] for r in server.requests] == [None, CONSENT, None]


def test_sign_out_forgets_acting_and_logs_out_without_raising(services, server: FakeServer):
    account, *_ = services
    account.start_acting(consent())

    account.sign_out()

    assert account.acting_for() is None and account.owner() is None
    assert server.requests[-1] == ("POST", "/auth/logout", None)


def test_sign_out_never_raises_when_the_server_is_gone(store: LocalStore):
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("down", request=request)

    from services.api import TokenPair

    tokens = MemoryTokenStore()
    tokens.save(TokenPair(access_token="a", refresh_token="r"))
    account = Account(ApiClient("http://test", transport=httpx.MockTransport(down)), tokens, store)
    with store.transaction() as db:
        write_personal(db, OWNER_KEY, OWNER)

    account.sign_out()

    assert account.owner() is None and tokens.load() is None
