"""Sign-in, the personal data cache and the outbox, against the real backend over HTTP."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select, update
from sync_support import DEV_CODE, BackendServer, FlakyTransport

from backend.crud import get_user_by_phone
from backend.demo_users import RESIDENT_PHONE, VOLUNTEER_PHONE
from backend.models import ActivityEntry, AuthToken, User
from bench.at_once import TLS
from services.client import PersonalServices
from services.errors import InputError, ProblemError, SignedOutError
from services.sync.outbox import OutboxStatus
from services.sync.sender import DrainStop

MakeClient = Callable[..., PersonalServices]


def signed_in(make_client: MakeClient, backend: BackendServer, **kwargs) -> PersonalServices:
    client = make_client(backend.url, **kwargs)
    client.account.sign_in(RESIDENT_PHONE, DEV_CODE)
    client.personal.refresh()
    return client


def server_user(backend: BackendServer, phone: str = RESIDENT_PHONE) -> User:
    with backend.session() as session:
        user = get_user_by_phone(session, phone)
        session.expunge(user)
        return user


def server_activity(backend: BackendServer, phone: str = RESIDENT_PHONE) -> list[ActivityEntry]:
    user_id = server_user(backend, phone).id
    with backend.session() as session:
        rows = session.scalars(
            select(ActivityEntry).where(ActivityEntry.user_id == user_id).order_by(ActivityEntry.id)
        ).all()
        session.expunge_all()
        return list(rows)


# -- signing in -----------------------------------------------------------------------------


def test_sign_in_loads_the_profile_with_the_id_number_masked(
    make_client: MakeClient, backend: BackendServer
):
    client = signed_in(make_client, backend)

    view = client.personal.view()
    assert client.account.signed_in
    assert view.me is not None and view.me["name"] == "张阿姨"
    assert view.me["id_number"] == "310***********0028"
    assert view.service_records and view.visits and view.benefits and view.inbox


@pytest.mark.parametrize(
    ("phone", "code", "error"),
    [
        ("", "123456", "phone_empty"),
        ("1380000", "123456", "phone_length"),
        ("12800000001", "123456", "phone_prefix"),
        ("138abc00001", "123456", "phone_not_digits"),
        (RESIDENT_PHONE, "", "code_empty"),
        (RESIDENT_PHONE, "12345", "code_length"),
        (RESIDENT_PHONE, "12a456", "code_not_digits"),
    ],
)
def test_bad_input_is_refused_before_anything_is_sent(
    make_client: MakeClient, phone: str, code: str, error: str
):
    # An unroutable URL: if validation let anything through, this would be an OfflineError.
    client = make_client("http://127.0.0.1:9")
    with pytest.raises(InputError) as caught:
        client.account.sign_in(phone, code)
    assert caught.value.code == error


def test_full_width_digits_and_plus86_are_accepted(make_client: MakeClient, backend: BackendServer):
    client = make_client(backend.url)
    me = client.account.sign_in("+86 138-0000-0001", "２４６８１０")
    assert me["phone"] == RESIDENT_PHONE


def test_a_wrong_code_is_a_problem_with_a_stable_code(
    make_client: MakeClient, backend: BackendServer
):
    client = make_client(backend.url)
    with pytest.raises(ProblemError) as caught:
        client.account.sign_in(RESIDENT_PHONE, "000000")
    assert (caught.value.status, caught.value.code) == (401, "invalid_code")
    assert not client.account.signed_in


def test_an_expired_access_token_is_refreshed_and_the_call_goes_through(
    make_client: MakeClient, backend: BackendServer
):
    client = signed_in(make_client, backend)
    before = client.account.tokens.load()
    with backend.session() as session:
        session.execute(update(AuthToken).where(AuthToken.kind == "access").values(revoked=True))
        session.commit()

    client.personal.refresh()

    after = client.account.tokens.load()
    assert after is not None and before is not None
    assert after.access_token != before.access_token


def test_a_refused_refresh_signs_out_but_keeps_waiting_actions(
    make_client: MakeClient, backend: BackendServer
):
    client = signed_in(make_client, backend)
    client.personal.edit_contact({"address": "新地址 1 号"})
    with backend.session() as session:
        session.execute(update(AuthToken).values(revoked=True))
        session.commit()

    result = client.sender.drain()

    assert result.stopped is DrainStop.SIGNED_OUT
    assert client.account.tokens.load() is None
    assert client.personal.view().waiting == 1, "the action waits for the next sign-in"
    with pytest.raises(SignedOutError):
        client.account.call("GET", "/me")

    client.account.sign_in(RESIDENT_PHONE, DEV_CODE)
    assert client.sender.drain().sent == 1
    assert server_user(backend).address == "新地址 1 号"


def test_signing_out_after_the_access_token_expired_ends_the_sign_in_on_the_server(
    make_client: MakeClient, backend: BackendServer
):
    client = signed_in(make_client, backend)
    pair = client.account.tokens.load()
    assert pair is not None
    with backend.session() as session:  # the access token expires behind the client's back
        session.execute(update(AuthToken).where(AuthToken.kind == "access").values(revoked=True))
        session.commit()

    client.account.sign_out()

    with backend.session() as session:
        live = session.scalars(
            select(AuthToken).where(AuthToken.kind == "refresh", AuthToken.revoked.is_(False))
        ).all()
    assert live == [], "the 30-day refresh token no longer works"


def test_sign_out_wipes_tokens_personal_data_and_the_database_pages(
    make_client: MakeClient, backend: BackendServer, tmp_path: Path
):
    client = signed_in(make_client, backend)
    client.personal.edit_contact({"emergency_contact": "王小明 13911112222"})
    token = client.account.tokens.load()
    assert token is not None
    # As in any long session, SQLite has copied the personal rows into the main file.
    client.account.store.read("PRAGMA wal_checkpoint(TRUNCATE)")

    client.account.sign_out()

    assert client.account.tokens.load() is None
    assert not client.account.signed_in
    assert client.personal.view().me is None
    secrets = [RESIDENT_PHONE, "张阿姨", "王小明", token.access_token, token.refresh_token]
    for path in (tmp_path / "client").rglob("*"):
        data = path.read_bytes()
        for secret in secrets:
            assert secret.encode() not in data, (path.name, secret[:4])


# -- the outbox -----------------------------------------------------------------------------


def test_an_offline_edit_shows_at_once_and_is_sent_once_when_back(
    make_client: MakeClient, backend: BackendServer
):
    client = signed_in(make_client, backend)
    backend.stop()

    action_id = client.personal.edit_contact({"address": "离线时改的地址"})
    view = client.personal.view()
    assert view.me is not None and view.me["address"] == "离线时改的地址"
    assert view.waiting == 1
    assert client.sender.drain().stopped is DrainStop.OFFLINE
    assert client.personal.view().waiting == 1

    backend.start()
    result = client.sender.drain()

    assert (result.sent, result.waiting, result.stopped) == (1, 0, DrainStop.EMPTY)
    assert server_user(backend).address == "离线时改的地址"
    assert [e.request_key for e in server_activity(backend)] == [action_id]
    assert client.personal.view().me["version"] == server_user(backend).version


def test_queued_edits_build_on_each_other_instead_of_conflicting(
    make_client: MakeClient, backend: BackendServer
):
    client = signed_in(make_client, backend)
    backend.stop()
    first = client.personal.edit_contact({"address": "一"})
    second = client.personal.edit_contact({"address": "二"})
    third = client.personal.edit_contact({"emergency_contact": "三"})
    backend.start()

    result = client.sender.drain()

    assert (result.sent, result.rejected) == (3, 0)
    user = server_user(backend)
    assert (user.address, user.emergency_contact) == ("二", "三")
    assert [e.request_key for e in server_activity(backend)] == [first, second, third]


def test_a_conflicting_edit_is_rejected_reverted_and_reported_once(
    make_client: MakeClient, backend: BackendServer
):
    client = signed_in(make_client, backend)
    other_device = signed_in(make_client, backend, name="other-device")
    other_device.personal.edit_contact({"address": "在另一台手机上改的"})
    assert other_device.sender.drain().sent == 1

    action_id = client.personal.edit_contact({"address": "这台手机上改的"})
    result = client.sender.drain()

    assert (result.sent, result.rejected) == (0, 1)
    view = client.personal.view()
    assert view.me is not None and view.me["address"] == "在另一台手机上改的", "reloaded"
    assert client.outbox.get(action_id).status is OutboxStatus.REJECTED
    owner = client.account.owner()
    assert owner is not None
    rejections = client.outbox.take_rejections(owner)
    assert [(r.id, r.code) for r in rejections] == [(action_id, "precondition_failed")]
    assert client.outbox.take_rejections(owner) == []


def test_a_refused_item_does_not_block_the_ones_behind_it(
    make_client: MakeClient, backend: BackendServer
):
    client = signed_in(make_client, backend)
    bad = client.personal.reply_inbox(999_999, "interested")  # no such item: 404
    item_id = client.personal.view().inbox[0]["id"]
    good = client.personal.reply_inbox(item_id, "need_help", "请电话联系我")

    result = client.sender.drain()

    assert (result.sent, result.rejected, result.stopped) == (1, 1, DrainStop.EMPTY)
    assert client.outbox.get(bad).status is OutboxStatus.REJECTED
    assert client.outbox.get(good).status is OutboxStatus.DONE
    answered = next(i for i in client.personal.view().inbox if i["id"] == item_id)
    assert (answered["answer"], answered["answer_note"]) == ("need_help", "请电话联系我")


def test_an_answer_lost_after_the_server_acted_is_resent_and_applied_once(
    make_client: MakeClient, backend: BackendServer
):
    transport = FlakyTransport()
    client = signed_in(make_client, backend, transport=transport)
    action_id = client.personal.edit_contact({"address": "只改一次"})
    transport.drop_response_of = transport.requests + 1  # the PATCH is applied, its answer lost

    result = client.sender.drain()

    assert result.sent == 1
    assert [e.request_key for e in server_activity(backend)] == [action_id]
    assert server_user(backend).version == 2


def test_a_process_killed_mid_send_resends_with_the_same_key_on_restart(
    make_client: MakeClient, backend: BackendServer
):
    client = signed_in(make_client, backend)
    action_id = client.personal.edit_contact({"address": "重启后"})
    # The kill: the request reached the server and was applied, then the process died with
    # the row still in_flight and the answer never stored.
    client.outbox.mark_in_flight(action_id)
    item = client.outbox.get(action_id)
    assert item is not None
    pair = client.account.tokens.load()
    assert pair is not None
    httpx.patch(
        f"{backend.url}/api/v1/me",
        json={"address": "重启后"},
        headers={
            "Authorization": f"Bearer {pair.access_token}",
            "Idempotency-Key": action_id,
            "If-Match": f'"{item.payload["base_version"]}"',
        },
        verify=TLS,
    ).raise_for_status()

    restarted = make_client(backend.url)  # same store file, new process state
    restarted.account.tokens.save(pair)
    result = restarted.sender.drain()

    assert result.sent == 1
    assert [e.request_key for e in server_activity(backend)] == [action_id]
    assert restarted.outbox.get(action_id).status is OutboxStatus.DONE


def test_user_b_cannot_see_user_a_data_through_the_client(
    make_client: MakeClient, backend: BackendServer
):
    aunt = signed_in(make_client, backend)
    volunteer = make_client(backend.url, name="volunteer")
    volunteer.account.sign_in(VOLUNTEER_PHONE, DEV_CODE)
    volunteer.personal.refresh()
    aunt_inbox = {i["id"] for i in aunt.personal.view().inbox}

    for item_id in aunt_inbox:
        volunteer.personal.reply_inbox(item_id, "interested")
    result = volunteer.sender.drain()

    assert result.rejected == len(aunt_inbox)
    owner = volunteer.account.owner()
    assert owner is not None
    assert {r.code for r in volunteer.outbox.take_rejections(owner)} == {"not_found"}
    assert {i["id"] for i in volunteer.personal.view().inbox}.isdisjoint(aunt_inbox)
