"""Acting on behalf (代办) end to end, on the REAL backend over HTTP, each person with their own
client: the resident makes a code, the helper redeems it, the resident confirms it on her own
device (through the outbox), the helper acts for her and sees the resident's data, signs her
up for an event through the outbox, the resident sees what was done for her and withdraws (also
through the outbox); the helper's next action comes back refused (consent_withdrawn) as a
rejection, and when they stop acting they see their own data again. An action queued while acting
and sent after stopping still goes as the resident; signing out while acting forgets it and
signs the session out on the server."""

from __future__ import annotations

from datetime import timedelta

import pytest
from event_client_support import (
    MakeClient,
    create_event,
    install_clock,
    pull,
    server_signup,
    signed_in,
    ten_today,
)
from sync_support import BackendServer

from app.features import OUTBOX_KINDS
from backend.demo_users import RESIDENT_PHONE, STAFF_PHONE
from services.errors import InputError, ProblemError, SignedOutError
from services.sync.sender import DrainStop

HELPER_PHONE = "15000000007"


@pytest.fixture
def people(make_client: MakeClient, backend: BackendServer):
    clock = install_clock(backend, ten_today())
    staff = signed_in(make_client, backend, clock, STAFF_PHONE, "staff")
    event = create_event(staff, clock() + timedelta(days=1), capacity=5)
    aunt = signed_in(make_client, backend, clock, RESIDENT_PHONE, "aunt")
    helper = signed_in(make_client, backend, clock, HELPER_PHONE, "helper")
    return aunt, helper, event


def act_for(aunt, helper, lasts: str = "day") -> dict:
    """The helper redeems a fresh code of the aunt's, she confirms it, and the helper acts."""
    consent = helper.proxy.redeem(RESIDENT_PHONE, aunt.proxy.create_code(lasts)["code"])
    aunt.proxy.watch_granted()
    aunt.proxy.confirm(consent["id"])
    assert aunt.sender.drain().sent == 1
    assert helper.proxy.watch_held(consent["id"])["state"] == "active"
    return helper.proxy.act_for(consent["id"])


def test_the_helper_acts_only_after_the_resident_confirms(people):
    aunt, helper, _event = people

    consent = helper.proxy.redeem(RESIDENT_PHONE, aunt.proxy.create_code()["code"])

    assert consent["state"] == "pending" and helper.account.acting_for() is None
    assert [c["state"] for c in helper.personal.view().proxy_consents] == ["pending"]
    with pytest.raises(InputError) as early:
        helper.proxy.act_for(consent["id"])
    assert (early.value.field, early.value.code) == ("consent", "consent_pending")
    assert helper.proxy.watch_held(consent["id"])["state"] == "pending"

    [asked] = aunt.proxy.watch_granted()  # fetched at once, not at the next refresh
    assert asked["id"] == consent["id"] and asked["state"] == "pending"
    aunt.proxy.confirm(consent["id"])
    assert aunt.personal.view().consents[0]["state"] == "active"  # at once
    assert aunt.sender.drain().sent == 1
    with pytest.raises(InputError) as twice:
        aunt.proxy.confirm(consent["id"])
    assert twice.value.code == "consent_active"

    assert helper.proxy.watch_held(consent["id"])["state"] == "active"
    helper.proxy.act_for(consent["id"])
    assert helper.account.acting_for()["consent_id"] == consent["id"]
    assert helper.personal.view().me["phone"] == RESIDENT_PHONE


def test_a_refused_consent_leaves_the_helpers_list(people):
    aunt, helper, _event = people
    consent = helper.proxy.redeem(RESIDENT_PHONE, aunt.proxy.create_code()["code"])
    aunt.proxy.watch_granted()

    aunt.proxy.withdraw(consent["id"])
    assert aunt.sender.drain().sent == 1

    assert helper.proxy.watch_held(consent["id"]) is None
    assert helper.personal.view().proxy_consents == []
    with pytest.raises(InputError) as late:
        aunt.proxy.confirm(consent["id"])
    assert late.value.code == "consent_withdrawn"


def test_acting_for_a_resident_from_code_to_withdrawal(people, backend: BackendServer):
    aunt, helper, event = people
    code = aunt.proxy.create_code()
    assert len(code["code"]) == 8 and code["lasts"] == "day"

    consent = helper.proxy.redeem(RESIDENT_PHONE, f"{code['code'][:4]} {code['code'][4:]}")
    aunt.proxy.watch_granted()
    aunt.proxy.confirm(consent["id"])
    assert aunt.sender.drain().sent == 1
    helper.proxy.watch_held(consent["id"])
    helper.proxy.act_for(consent["id"])

    view = helper.personal.view()
    assert view.acting_for == {
        "consent_id": consent["id"],
        "resident_id": str(aunt.personal.view().me["id"]),
        "resident_name": "张阿姨",
    }
    assert view.me["phone"] == RESIDENT_PHONE and view.inbox == aunt.personal.view().inbox
    assert view.consents == [] and view.proxy_consents == [] and view.volunteer is None

    pull(helper)
    signup_id = helper.events.sign_up(event["id"])
    assert helper.personal.view().signups[0]["state"] == "sending"
    assert helper.sender.drain().sent == 1
    assert server_signup(backend, signup_id).user_id == aunt.personal.view().me["id"]

    aunt.personal.refresh()
    [granted] = aunt.personal.view().consents
    assert granted["id"] == consent["id"] and granted["state"] == "active"
    assert [(a["kind"], a["target"]) for a in granted["actions"]] == [
        ("event_signup", {"event_id": event["id"]})
    ]
    assert [s["id"] for s in aunt.personal.view().signups] == [signup_id]
    assert any(n["kind"] == "proxy_requested" for n in aunt.personal.view().notifications)

    aunt.proxy.withdraw(consent["id"])
    assert aunt.personal.view().consents[0]["state"] == "withdrawn"  # at once
    assert aunt.sender.drain().sent == 1
    with pytest.raises(InputError) as again:
        aunt.proxy.withdraw(consent["id"])
    assert (again.value.field, again.value.code) == ("consent", "consent_withdrawn")

    helper.events.cancel(event["id"])
    result = helper.sender.drain()
    assert (result.sent, result.rejected) == (0, 1)
    [refusal] = helper.outbox.take_rejections(helper.account.owner())
    assert (refusal.kind, refusal.code) == ("event_cancel", "consent_withdrawn")
    assert server_signup(backend, signup_id).state == "confirmed"

    helper.proxy.stop()
    view = helper.personal.view()
    assert view.acting_for is None and view.me["phone"] == HELPER_PHONE
    assert view.signups == [] and view.proxy_consents == []


def test_an_action_queued_while_acting_goes_as_the_resident_after_stopping(
    people, backend: BackendServer
):
    aunt, helper, event = people
    act_for(aunt, helper, "month")
    pull(helper)
    signup_id = helper.events.sign_up(event["id"])

    with pytest.raises(InputError) as waiting:
        helper.proxy.stop()
    assert (waiting.value.field, waiting.value.code) == ("proxy", "actions_waiting")
    helper.proxy.stop(keep_waiting=True)

    view = helper.personal.view()
    assert view.acting_for is None and view.me["phone"] == HELPER_PHONE
    assert view.signups == [] and view.waiting == 0  # the resident's action is not overlaid here
    assert helper.sender.waiting() == 1
    result = helper.sender.drain()
    assert (result.sent, result.stopped) == (1, DrainStop.EMPTY)
    assert server_signup(backend, signup_id).user_id == aunt.personal.view().me["id"]
    helper.personal.refresh()
    assert helper.personal.view().signups == []  # the answer was hers, not stored as mine
    aunt.personal.refresh()
    assert [a["kind"] for a in aunt.personal.view().consents[0]["actions"]] == ["event_signup"]


def test_force_stopping_drops_the_residents_waiting_actions(people, backend: BackendServer):
    aunt, helper, event = people
    act_for(aunt, helper)
    pull(helper)
    helper.events.sign_up(event["id"])

    helper.proxy.stop(force=True)

    assert helper.sender.waiting() == 0 and helper.sender.drain().sent == 0
    aunt.personal.refresh()
    assert aunt.personal.view().signups == []


def test_the_helper_ends_a_consent_through_the_outbox(people):
    aunt, helper, _event = people
    consent = act_for(aunt, helper)
    with pytest.raises(InputError) as acting:
        helper.proxy.end(consent["id"])
    assert acting.value.code == "not_on_behalf"
    helper.proxy.stop()
    assert [c["id"] for c in helper.personal.view().proxy_consents] == [consent["id"]]

    helper.proxy.end(consent["id"])
    assert helper.personal.view().proxy_consents[0]["state"] == "ended"  # at once
    assert helper.sender.drain().sent == 1
    assert helper.personal.view().proxy_consents == []
    aunt.personal.refresh()
    assert aunt.personal.view().consents[0]["state"] == "ended"


def test_codes_are_checked_and_refused(people):
    aunt, helper, _event = people
    with pytest.raises(InputError) as typed:
        helper.proxy.redeem(RESIDENT_PHONE, "1234567")
    assert (typed.value.field, typed.value.code) == ("consent_code", "invalid_format")
    code = aunt.proxy.create_code()["code"]
    with pytest.raises(ProblemError) as own:
        aunt.proxy.redeem(RESIDENT_PHONE, code)
    assert own.value.code == "own_consent" and aunt.account.acting_for() is None
    with pytest.raises(ProblemError) as wrong:
        helper.proxy.redeem(RESIDENT_PHONE, "00000000" if code != "00000000" else "11111111")
    assert wrong.value.code == "consent_code_invalid" and helper.account.acting_for() is None


def test_signing_out_while_acting_forgets_it_and_logs_the_session_out(people):
    aunt, helper, _event = people
    act_for(aunt, helper)
    token = helper.account.tokens.load().access_token

    helper.account.sign_out()

    assert helper.account.acting_for() is None and helper.account.owner() is None
    assert helper.personal.view().me is None
    with pytest.raises(ProblemError) as gone:
        helper.account.api.call("GET", "/me", token=token)
    assert gone.value.status == 401
    with pytest.raises(SignedOutError):
        helper.account.call("GET", "/me")


def test_acting_survives_a_restart(people, make_client: MakeClient, backend: BackendServer):
    aunt, helper, _event = people
    consent = act_for(aunt, helper)

    # Another process on the same store: the acting state is read from it, not from memory.
    from services.client import build_personal_services

    again = build_personal_services(
        helper.account.api, helper.personal.store, helper.account.tokens, OUTBOX_KINDS
    )
    assert again.account.acting_for()["consent_id"] == consent["id"]
    assert again.account.call("GET", "/me").body["phone"] == RESIDENT_PHONE
