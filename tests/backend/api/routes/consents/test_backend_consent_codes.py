"""Consent codes and consents: an 8-digit code lives 10 minutes and works once, the newest code
replaces the earlier ones, a helper gets 5 wrong tries in 10 minutes (an address 30 in an hour,
the whole service 300 wrong ones), the resident confirms on their own device before the consent
works, and either side can end the consent."""

import hashlib
import uuid
from datetime import datetime, timedelta
from typing import Any

import pytest
from consents_support import (
    CODES,
    MY_CONSENTS,
    PROXY,
    Person,
    acting,
    confirm,
    consent_between,
    make_code,
    my_consents,
    new_code,
    pending_between,
    redeem,
)
from fastapi import FastAPI
from route_support import API, RecordingSms, from_address, problem_code
from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.core.clock import FakeClock
from backend.models import IdempotencyRecord
from backend.proxy import limits
from backend.proxy.models import ConsentCode


def _at(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def test_a_code_is_eight_digits_valid_ten_minutes(aunt: Person, clock: FakeClock):
    response = make_code(aunt)

    assert response.status_code == 201, response.text
    body = response.json()
    assert len(body["code"]) == 8 and body["code"].isdigit()
    assert body["lasts"] == "day"
    assert _at(body["expires_at"]) == clock() + timedelta(minutes=10)


def test_only_a_hash_of_the_code_is_stored(aunt: Person, session: Session):
    code = new_code(aunt, "month")

    rows = session.scalars(select(ConsentCode)).all()
    assert len(rows) == 1 and rows[0].lasts == "month"
    assert rows[0].code_hash != code and code not in rows[0].code_hash
    assert len(rows[0].code_hash) == 64 and int(rows[0].code_hash, 16) >= 0
    assert rows[0].code_hash != hashlib.sha256(b"x").hexdigest()


def test_a_replay_answers_the_same_code_which_dies_with_its_stored_answer(
    aunt: Person, helper: Person, session: Session
):
    key = str(uuid.uuid4())
    first = make_code(aunt, key=key)
    again = make_code(aunt, key=key)

    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert redeem(helper, first.json()["code"]).status_code == 201
    # Used up: the stored answer that showed it is gone, so nothing keeps the code in clear.
    assert session.get(IdempotencyRecord, (f"user:{aunt.me()['id']}", key)) is None


def test_a_new_code_makes_the_earlier_unused_ones_invalid(aunt: Person, helper: Person):
    old, new = new_code(aunt), new_code(aunt)

    refused = redeem(helper, old)
    assert refused.status_code == 409 and problem_code(refused) == "consent_code_invalid"
    assert redeem(helper, new).status_code == 201


def test_wrong_expired_and_used_codes_get_one_answer(
    aunt: Person, helper: Person, person: Any, clock: FakeClock
):
    used = new_code(aunt)
    assert redeem(helper, used).status_code == 201
    late = new_code(aunt)
    clock.advance(minutes=10)
    other = person("15000000008")
    wrong = "000000" if used != "000000" and late != "000000" else "111111"

    answers = [redeem(other, c) for c in (used, late, wrong, "12345", "abcdef")]

    assert [(a.status_code, problem_code(a)) for a in answers] == [
        (409, "consent_code_invalid")
    ] * 5
    assert len({a.json()["detail"] for a in answers}) == 1


def test_a_code_works_only_with_its_residents_phone(aunt: Person, helper: Person, person: Any):
    code = new_code(aunt)
    someone = person("13900000031")
    someone.me()  # another resident, with an account

    answers = [
        redeem(helper, code, resident_phone=phone) for phone in (someone.phone, "13900000099")
    ]  # someone else's phone; a phone with no account: the same answer

    assert [problem_code(a) for a in answers] == ["consent_code_invalid"] * 2
    assert len({a.json()["detail"] for a in answers}) == 1
    assert redeem(helper, code, resident_phone=aunt.phone).status_code == 201


def test_a_malformed_resident_phone_is_422_on_that_field(aunt: Person, helper: Person):
    response = redeem(helper, new_code(aunt), resident_phone="1380000")

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"][-1] == "resident_phone"


def test_my_own_code_is_refused(aunt: Person):
    response = redeem(aunt, new_code(aunt))

    assert response.status_code == 409 and problem_code(response) == "own_consent"


def test_five_wrong_codes_in_ten_minutes_lock_the_helper_out(
    aunt: Person, helper: Person, clock: FakeClock
):
    code = new_code(aunt)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        assert problem_code(redeem(helper, wrong)) == "consent_code_invalid"
        clock.advance(seconds=30)

    locked = redeem(helper, code)  # even the right code

    assert locked.status_code == 429 and problem_code(locked) == "too_many_attempts"
    assert int(locked.headers["Retry-After"]) == 10 * 60 - 5 * 30  # from the first wrong one
    clock.advance(seconds=10 * 60 - 5 * 30)
    code = new_code(aunt)  # the first one expired meanwhile
    assert redeem(helper, code).status_code == 201


def test_one_address_gets_thirty_tries_an_hour_whoever_sends_them(
    app: FastAPI, aunt: Person, clock: FakeClock
):
    """Many accounts behind one address (a guesser's) are one guesser; another address is not."""
    helpers = [
        Person(from_address(app, "198.51.100.7"), clock, f"1391111{n:04d}") for n in range(7)
    ]
    answers = [problem_code(redeem(h, "999999")) for h in helpers[:6] for _ in range(5)]
    assert answers == ["consent_code_invalid"] * 30

    refused = redeem(helpers[-1], new_code(aunt))
    assert refused.status_code == 429 and problem_code(refused) == "too_many_attempts"
    elsewhere = Person(from_address(app, "203.0.113.5"), clock, "13922220000")
    assert redeem(elsewhere, new_code(aunt)).status_code == 201


def test_too_many_wrong_codes_across_the_service_pause_redeeming_for_everyone(
    app: FastAPI, aunt: Person, helper: Person, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(limits, "WRONG_FOR_SERVICE", 3)
    guessers = [
        Person(from_address(app, f"198.51.100.{n}"), clock, f"1391111{n:04d}") for n in range(3)
    ]
    for guesser in guessers:
        assert problem_code(redeem(guesser, "999999")) == "consent_code_invalid"

    paused = redeem(helper, new_code(aunt))  # a right code, from someone who never guessed

    assert paused.status_code == 429 and problem_code(paused) == "redeeming_paused"
    assert int(paused.headers["Retry-After"]) == 3600
    clock.advance(hours=1)
    assert redeem(helper, new_code(aunt)).status_code == 201


def test_wrong_codes_spread_over_more_than_ten_minutes_do_not_lock(
    aunt: Person, helper: Person, clock: FakeClock
):
    for _ in range(7):
        assert problem_code(redeem(helper, "999999")) == "consent_code_invalid"
        clock.advance(minutes=3)

    assert redeem(helper, new_code(aunt)).status_code == 201


def test_redeeming_asks_the_resident_who_confirms_a_day_or_a_month(
    aunt: Person, helper: Person, clock: FakeClock, sms: RecordingSms
):
    day = pending_between(aunt, helper)
    month = pending_between(aunt, helper, "month")

    assert day["state"] == "pending" and day["confirmed_at"] is None
    assert day["actions"] == [] and day["ended_at"] is None
    assert _at(day["granted_at"]) == clock()
    assert _at(day["expires_at"]) == clock() + timedelta(minutes=10)  # to confirm it
    me = aunt.me()
    assert day["resident"] == {"id": me["id"], "name": me["name"], "phone_masked": "138****0001"}
    assert day["helper"]["phone_masked"] == "150****0007"
    notes = aunt.get(f"{API}/me/notifications").json()["items"]
    assert [(n["kind"], n["data"]["consent_id"]) for n in notes[:2]] == [
        ("proxy_requested", month["id"]),
        ("proxy_requested", day["id"]),
    ]
    assert notes[0]["data"]["helper_name"] == "150****0007"  # no name yet: the masked phone
    texts = [s for s in sms.sent if s.phone == "13800000001"]
    assert len(texts) == 2 and all(s.committed for s in texts)
    assert "150****0007" in texts[0].text and "15000000007" not in texts[0].text
    assert "确认" in texts[0].text

    clock.advance(minutes=2)
    confirmed = confirm(aunt, day["id"])
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["state"] == "active" and confirmed.json()["version"] == 2
    assert _at(confirmed.json()["confirmed_at"]) == clock()
    assert _at(confirmed.json()["expires_at"]) == clock() + timedelta(hours=12)
    monthly = confirm(aunt, month["id"]).json()
    assert _at(monthly["expires_at"]) == clock() + timedelta(days=30)
    told = helper.get(f"{API}/me/notifications").json()["items"]
    assert [(n["kind"], n["data"]) for n in told] == [
        ("proxy_confirmed", {"consent_id": month["id"], "resident_name": me["name"]}),
        ("proxy_confirmed", {"consent_id": day["id"], "resident_name": me["name"]}),
    ]
    again = confirm(aunt, day["id"])  # answered as it is, the helper not told twice
    assert again.status_code == 200 and again.json()["version"] == 2
    assert len(helper.get(f"{API}/me/notifications").json()["items"]) == 2


def test_a_pending_consent_cannot_be_acted_under(aunt: Person, helper: Person):
    pending = pending_between(aunt, helper)

    response = acting(helper, pending).get(f"{API}/me")

    assert response.status_code == 403 and problem_code(response) == "consent_pending"
    assert [c["state"] for c in helper.get(PROXY).json()["items"]] == ["pending"]


def test_an_unconfirmed_consent_lapses_and_cannot_be_confirmed_late(
    aunt: Person, helper: Person, clock: FakeClock
):
    pending = pending_between(aunt, helper)
    clock.advance(minutes=10)

    late = confirm(aunt, pending["id"])

    assert late.status_code == 403 and problem_code(late) == "consent_expired"
    assert helper.get(PROXY).json()["items"] == []
    assert [c["state"] for c in my_consents(aunt)] == ["expired"]


def test_the_resident_refuses_a_consent_they_did_not_give(aunt: Person, helper: Person):
    pending = pending_between(aunt, helper)

    refused = aunt.post(f"{MY_CONSENTS}/{pending['id']}/withdraw")
    late = confirm(aunt, pending["id"])

    assert refused.status_code == 200 and refused.json()["state"] == "withdrawn"
    assert late.status_code == 403 and problem_code(late) == "consent_withdrawn"
    response = acting(helper, pending).get(f"{API}/me")
    assert response.status_code == 403 and problem_code(response) == "consent_withdrawn"


def test_the_helper_lists_live_consents_and_ends_one(
    aunt: Person, helper: Person, clock: FakeClock
):
    first = consent_between(aunt, helper)
    clock.advance(minutes=1)
    second = consent_between(aunt, helper, "month")

    listed = helper.get(PROXY).json()["items"]
    assert [c["id"] for c in listed] == [second["id"], first["id"]]

    key = str(uuid.uuid4())
    ended = helper.post(f"{PROXY}/{first['id']}/end", key=key)
    assert ended.status_code == 200 and ended.json()["state"] == "ended"
    assert ended.json()["version"] == 3 and ended.json()["ended_at"] is not None  # 2: confirmed
    assert helper.post(f"{PROXY}/{first['id']}/end", key=key).json() == ended.json()
    again = helper.post(f"{PROXY}/{first['id']}/end")
    assert again.status_code == 200 and again.json()["version"] == 3
    assert [c["id"] for c in helper.get(PROXY).json()["items"]] == [second["id"]]
    clock.advance(days=31)
    assert helper.get(PROXY).json()["items"] == []
    assert [c["state"] for c in my_consents(aunt)] == ["expired", "ended"]


def test_the_resident_withdraws_once_and_withdrawing_again_answers_the_first_time(
    aunt: Person, helper: Person, clock: FakeClock
):
    consent = consent_between(aunt, helper)

    first = aunt.post(f"{MY_CONSENTS}/{consent['id']}/withdraw")
    clock.advance(minutes=5)
    second = aunt.post(f"{MY_CONSENTS}/{consent['id']}/withdraw")

    assert first.status_code == 200 and first.json()["state"] == "withdrawn"
    assert second.status_code == 200 and second.json() == first.json()
    assert helper.get(PROXY).json()["items"] == []


def test_only_the_two_of_them_reach_a_consent(aunt: Person, helper: Person, person: Any):
    consent = consent_between(aunt, helper)
    stranger = person("15000000008")

    for who, path in [
        (stranger, f"{MY_CONSENTS}/{consent['id']}/withdraw"),
        (helper, f"{MY_CONSENTS}/{consent['id']}/withdraw"),  # the helper cannot withdraw it
        (stranger, f"{PROXY}/{consent['id']}/end"),
        (aunt, f"{PROXY}/{consent['id']}/end"),  # the resident withdraws instead
        (stranger, f"{MY_CONSENTS}/{consent['id']}/confirm"),
        (helper, f"{MY_CONSENTS}/{consent['id']}/confirm"),  # only on the resident's device
        (aunt, f"{PROXY}/{uuid.uuid4()}/end"),
    ]:
        response = who.post(path)
        assert response.status_code == 404 and problem_code(response) == "consent_not_found"
    assert my_consents(stranger) == [] and my_consents(helper) == []


def test_sign_in_is_required(client: Any):
    confirming = f"{MY_CONSENTS}/{uuid.uuid4()}/confirm"
    for method, path in [
        ("POST", CODES),
        ("POST", PROXY),
        ("GET", PROXY),
        ("GET", MY_CONSENTS),
        ("POST", confirming),
    ]:
        response = client.request(method, path, json={"code": "123456"})
        assert response.status_code == 401 and problem_code(response) == "unauthorized"
