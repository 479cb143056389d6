"""X-Act-For: the helper acts as the resident (never with their own roles) on the routes allowed
for it; every change accepted then is recorded in its own transaction, a refused one is not, and
the resident sees the record. A consent that stopped refuses the helper's next request."""

import uuid
from datetime import timedelta
from typing import Any

import pytest
from consents_support import (
    CODES,
    EVENTS,
    MY_CONSENTS,
    PROXY,
    Person,
    acting,
    consent_between,
    create_event,
    my_consents,
    new_code,
    sign_up,
)
from route_support import API, problem_code, trip_body, volunteer_form
from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.core.clock import FakeClock
from backend.models import ActivityEntry
from backend.proxy.acting import ALLOWED_READS
from backend.proxy.models import ProxyAction


def proxy_rows(session: Session) -> list[ProxyAction]:
    session.expire_all()
    return list(session.scalars(select(ProxyAction).order_by(ProxyAction.id)))


def test_the_helper_sees_the_residents_data(aunt: Person, helper: Person):
    as_aunt = acting(helper, consent_between(aunt, helper))

    assert as_aunt.me() == aunt.me()
    for path in ("/me/service-records", "/me/inbox", "/me/signups", "/trips/mine"):
        response = as_aunt.get(API + path)
        assert response.status_code == 200 and response.json() == aunt.get(API + path).json()
    assert helper.me()["phone"] == "15000000007"  # without the header: themselves


def test_acting_for_a_volunteer_shows_nothing_of_the_trips_they_guide(
    aunt: Person, volunteer: Person, helper: Person
):
    """Issue 18, item 3: a helper acting for a volunteer read the trips the volunteer guides,
    with the blind resident's name, phone and code word (anyone holding the code word can meet
    her in the volunteer's place)."""
    trips = f"{API}/trips"
    guided = aunt.post(trips, json=trip_body(aunt.clock)).json()
    assert volunteer.post(f"{trips}/{guided['id']}/claim").status_code == 200
    cancelled = aunt.post(trips, json=trip_body(aunt.clock, from_place="徐家汇")).json()
    assert volunteer.post(f"{trips}/{cancelled['id']}/claim").status_code == 200
    assert aunt.post(f"{trips}/{cancelled['id']}/cancel").status_code == 200
    code_word = aunt.get(f"{trips}/{guided['id']}").json()["code_word"]
    secrets = [code_word, aunt.me()["name"], aunt.phone, "人民广场", "徐家汇"]
    assert all(s in volunteer.get(f"{trips}/mine").text for s in secrets[:2])  # the volunteer's
    assert [n["kind"] for n in volunteer.get(f"{API}/me/notifications").json()["items"]] == [
        "trip_cancelled"
    ]

    as_volunteer = acting(helper, consent_between(volunteer, helper))

    assert as_volunteer.get(f"{trips}/mine").json()["items"] == []
    for trip in (guided, cancelled):
        assert problem_code(as_volunteer.get(f"{trips}/{trip['id']}")) == "not_found"
    shown = as_volunteer.get(f"{API}/me/notifications").json()["items"]
    assert [n["kind"] for n in shown] == ["proxy_requested"]  # the consent itself, not the trip
    for path in sorted(ALLOWED_READS):
        response = as_volunteer.get(API + path.format(trip_id=guided["id"]))
        assert response.status_code in (200, 404), (path, response.text)
        assert [s for s in secrets if s in response.text] == [], path


def test_reads_while_acting_are_allowed_only_when_listed(app: Any, aunt: Person, helper: Person):
    """Every GET route that takes X-Act-For is on the allow-list or refused: a read added later
    is refused to helpers until someone decides it belongs to the resident as such."""
    as_aunt = acting(helper, consent_between(aunt, helper))
    paths = app.openapi()["paths"]
    personal = {
        path.removeprefix(API)
        for path, operations in paths.items()
        if any(p["name"] == "X-Act-For" for p in operations.get("get", {}).get("parameters", []))
    }
    assert set(ALLOWED_READS) <= personal
    refused = sorted(personal - set(ALLOWED_READS))
    assert refused == [
        "/door/today",
        "/me/consents",
        "/proxy/consents",
        "/trips/open",
        "/volunteers/me",
    ]
    for path in refused:
        assert problem_code(as_aunt.get(API + path)) == "not_on_behalf", path


def test_a_sign_up_for_the_resident_is_hers_and_recorded(
    aunt: Person, helper: Person, event: dict[str, Any], session: Session, clock: FakeClock
):
    consent = consent_between(aunt, helper)
    as_aunt = acting(helper, consent)

    response = sign_up(as_aunt, event["id"])

    assert response.status_code == 201, response.text
    assert [s["id"] for s in aunt.get(f"{API}/me/signups").json()["items"]] == [
        response.json()["id"]
    ]
    assert helper.get(f"{API}/me/signups").json()["items"] == []
    [row] = proxy_rows(session)
    assert (row.kind, row.target, row.consent_id) == (
        "event_signup",
        {"event_id": event["id"]},
        consent["id"],
    )
    assert row.subject_id == aunt.me()["id"] and row.actor_id == helper.me()["id"]
    [shown] = my_consents(aunt)
    assert [(a["kind"], a["target"]) for a in shown["actions"]] == [
        ("event_signup", {"event_id": event["id"]})
    ]
    assert shown["actions"][0]["at"].startswith(clock().strftime("%Y-%m-%dT%H:%M"))


def test_every_allowed_change_is_recorded_with_its_kind(
    aunt: Person, helper: Person, event: dict[str, Any], session: Session
):
    as_aunt = acting(helper, consent_between(aunt, helper))
    version = aunt.me()["version"]
    inbox_id = aunt.get(f"{API}/me/inbox").json()["items"][0]["id"]
    start = (helper.clock() + timedelta(days=2)).isoformat()
    trip = {
        "start_at": start,
        "from_place": "家",
        "to_place": "医院",
        "district": "310101",
        "needs": ["sighted_guide"],
        "contact_phone": "13800000001",
    }

    answers = [
        as_aunt.patch(f"{API}/me", json={"address": "新地址"}, **{"If-Match": f'"{version}"'}),
        as_aunt.post(f"{API}/me/inbox/{inbox_id}/reply", json={"answer": "interested"}),
        as_aunt.post(f"{API}/me/notifications/read", json={"up_to_id": 0}),
        trip_made := as_aunt.post(f"{API}/trips", json=trip),
        as_aunt.post(f"{API}/trips/{trip_made.json()['id']}/cancel"),
        sign_up(as_aunt, event["id"]),
        as_aunt.post(f"{EVENTS}/{event['id']}/signups/me/excuse", json={"reason": "health"}),
        as_aunt.delete(f"{EVENTS}/{event['id']}/signups/me"),
    ]

    assert [a.status_code for a in answers] == [200, 200, 200, 201, 200, 201, 200, 200], [
        a.text for a in answers
    ]
    assert [r.kind for r in proxy_rows(session)] == [
        "profile_edit",
        "inbox_reply",
        "notifications_read",
        "trip_request",
        "trip_cancel",
        "event_signup",
        "event_excuse",
        "event_cancel",
    ]
    assert aunt.me()["address"] == "新地址"
    # The resident's own activity log names the helper as the one who acted.
    helper_id = helper.me()["id"]
    actors = {e.actor_user_id for e in session.scalars(select(ActivityEntry))}
    assert actors == {helper_id}


def test_a_refused_change_records_nothing(
    aunt: Person, helper: Person, event: dict[str, Any], session: Session, clock: FakeClock
):
    as_aunt = acting(helper, consent_between(aunt, helper, "month"))
    clock.advance(days=1)  # past the sign-up deadline

    response = sign_up(as_aunt, event["id"])

    assert response.status_code == 409 and problem_code(response) == "signup_closed"
    assert proxy_rows(session) == []
    assert my_consents(aunt)[0]["actions"] == []


def test_a_replay_records_nothing_new(
    aunt: Person, helper: Person, event: dict[str, Any], session: Session
):
    as_aunt = acting(helper, consent_between(aunt, helper))
    key = str(uuid.uuid4())

    body = {"id": str(uuid.uuid4())}
    first = as_aunt.post(f"{EVENTS}/{event['id']}/signups", json=body, key=key)
    replay = as_aunt.post(f"{EVENTS}/{event['id']}/signups", json=body, key=key)

    assert replay.headers.get("Idempotent-Replayed") == "true", replay.text
    assert replay.json() == first.json()
    assert len(proxy_rows(session)) == 1


# Any trip id will do: the refusal comes before the trip is looked up. Fixed, so every pytest
# worker collects the same test ids.
ANY_TRIP = "6f1c2b9e-0d4a-4c1e-9a57-3b8d2e4f5a60"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", CODES, None),
        ("GET", MY_CONSENTS, None),
        ("GET", PROXY, None),
        ("POST", PROXY, {"code": "123456"}),
        ("POST", f"{PROXY}/{{consent}}/end", None),
        ("POST", f"{MY_CONSENTS}/{{consent}}/withdraw", None),
        ("POST", f"{API}/volunteers", volunteer_form("13800000001")),
        ("GET", f"{API}/volunteers/me", None),
        ("GET", f"{API}/trips/open", None),
        ("POST", f"{API}/trips/{ANY_TRIP}/claim", None),
        ("POST", f"{API}/trips/{ANY_TRIP}/start", None),
        ("POST", f"{API}/trips/{ANY_TRIP}/complete", None),
        ("POST", f"{API}/trips/{ANY_TRIP}/release", None),
        ("GET", f"{API}/door/today", None),
        ("POST", EVENTS, {}),
        ("POST", f"{API}/auth/logout", None),
    ],
)
def test_routes_a_helper_may_not_use_for_someone(
    aunt: Person, helper: Person, session: Session, method: str, path: str, body: Any
):
    consent = consent_between(aunt, helper)
    as_aunt = acting(helper, consent)

    response = as_aunt.client.request(
        method, path.format(consent=consent["id"]), headers=as_aunt.write(), json=body
    )

    assert response.status_code == 403 and problem_code(response) == "not_on_behalf"
    assert proxy_rows(session) == []
    assert helper.me()["id"] != aunt.me()["id"]  # the logout above did not sign anyone out


def test_a_clerk_acting_for_a_resident_has_no_staff_powers(
    aunt: Person, staff: Person, event: dict[str, Any], session: Session
):
    as_aunt = acting(staff, consent_between(aunt, staff, "month"))
    signup = sign_up(aunt, event["id"]).json()

    assert as_aunt.me()["roles"] == ["resident"]
    refused = [
        as_aunt.get(f"{API}/door/today"),
        as_aunt.post(f"{EVENTS}/{event['id']}/attendees/{signup['id']}/checkin", json={}),
        as_aunt.post(f"{EVENTS}", json={}),
    ]
    assert [problem_code(r) for r in refused] == ["not_on_behalf"] * 3
    # An allowed route, but with her roles: a personal code is staff's, so it checks no one in.
    staff.clock.advance(hours=23, minutes=30)
    code = as_aunt.post(f"{EVENTS}/{event['id']}/checkin", json={"code": signup["personal_code"]})
    assert code.status_code == 422 and problem_code(code) == "code_wrong"
    assert proxy_rows(session) == []


def test_after_withdrawal_the_helpers_next_request_is_refused(
    aunt: Person, helper: Person, event: dict[str, Any], session: Session
):
    consent = consent_between(aunt, helper)
    as_aunt = acting(helper, consent)
    assert as_aunt.me()["id"] == aunt.me()["id"]

    assert aunt.post(f"{MY_CONSENTS}/{consent['id']}/withdraw").status_code == 200

    for response in (as_aunt.get(f"{API}/me"), sign_up(as_aunt, event["id"])):
        assert response.status_code == 403 and problem_code(response) == "consent_withdrawn"
    assert proxy_rows(session) == []
    assert aunt.get(f"{API}/me/signups").json()["items"] == []


def test_ended_and_expired_consents_refuse_and_say_why(
    aunt: Person, helper: Person, clock: FakeClock
):
    ended = consent_between(aunt, helper)
    helper.post(f"{PROXY}/{ended['id']}/end")
    expiring = consent_between(aunt, helper)
    clock.advance(hours=12)

    for consent, code in [(ended, "consent_ended"), (expiring, "consent_expired")]:
        response = acting(helper, consent).get(f"{API}/me")
        assert response.status_code == 403 and problem_code(response) == code


def test_someone_elses_consent_or_none_is_not_found(aunt: Person, helper: Person, person: Any):
    consent = consent_between(aunt, helper)
    stranger = person("15000000008")

    for who, consent_id in [(stranger, consent["id"]), (aunt, consent["id"]), (helper, "nope")]:
        response = acting(who, {"id": consent_id}).get(f"{API}/me")
        assert response.status_code == 404 and problem_code(response) == "consent_not_found"


def test_a_withdrawal_committed_before_the_change_wins(
    aunt: Person, helper: Person, event: dict[str, Any], session: Session, app: Any
):
    """The consent is checked again inside the change's write transaction."""
    from backend.proxy import acting as acting_module

    consent = consent_between(aunt, helper)
    as_aunt = acting(helper, consent)
    withdraw_now = aunt.write()
    real_resolve = acting_module.resolve

    def resolve_then_withdraw(*args: Any) -> Any:
        resident = real_resolve(*args)
        args[1].rollback()  # give the write lock back, as get_current_user does next
        withdrawn = aunt.client.post(
            f"{MY_CONSENTS}/{consent['id']}/withdraw", headers=withdraw_now
        )
        assert withdrawn.status_code == 200
        return resident

    acting_module.resolve = resolve_then_withdraw
    try:
        response = sign_up(as_aunt, event["id"])
    finally:
        acting_module.resolve = real_resolve

    assert response.status_code == 403 and problem_code(response) == "consent_withdrawn"
    assert proxy_rows(session) == []
    assert aunt.get(f"{API}/me/signups").json()["items"] == []


def test_a_second_event_for_the_resident(aunt: Person, helper: Person, staff: Person):
    """The helper's own sign-ups and the resident's stay apart."""
    event = create_event(staff, capacity=5)
    as_aunt = acting(helper, consent_between(aunt, helper))

    assert sign_up(as_aunt, event["id"]).status_code == 201
    assert sign_up(helper, event["id"]).status_code == 201

    assert len(aunt.get(f"{API}/me/signups").json()["items"]) == 1
    assert len(helper.get(f"{API}/me/signups").json()["items"]) == 1
    assert my_consents(aunt)[0]["actions"][0]["kind"] == "event_signup"
    assert new_code(aunt)  # the resident still makes codes without any header
