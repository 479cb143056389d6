"""Expiry, release and the notifications and text messages that tell people; SMS go out only
after the change that caused them has committed, and never twice."""

import uuid
from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from route_support import RecordingSms, SentSms, auth, problem_code
from trips_support import NOTIFICATIONS, TRIPS, act, ask, done, get_trip, notifications

from backend.api.routes import trips as trip_routes
from backend.core.clock import FakeClock
from backend.demo_users import RESIDENT_PHONE, VOLUNTEER_PHONE

FROM, TO = "人民广场地铁站 1 号口", "瑞金医院门诊楼"
WHERE = f"从{FROM}到{TO}"


def kinds(client: TestClient, headers: dict[str, str]) -> list[str]:
    return [n["kind"] for n in notifications(client, headers)]


# --- expiry ----------------------------------------------------------------------------------


def test_an_unclaimed_trip_expires_at_its_start_time_and_the_requester_is_texted(
    client: TestClient, resident: dict[str, str], clock: FakeClock, sms: RecordingSms
):
    start = clock() + timedelta(minutes=30)  # 16:30 in Shanghai
    trip_id = ask(client, resident, clock, start_at=start.isoformat())["id"]

    clock.advance(minutes=29, seconds=59)
    resident = auth(client, RESIDENT_PHONE)  # the first token lived 15 minutes
    assert get_trip(client, resident, trip_id).json()["state"] == "open"
    assert sms.sent == []

    clock.advance(seconds=1)
    trip = get_trip(client, resident, trip_id).json()

    assert trip["state"] == "expired" and trip["version"] == 2
    assert notifications(client, resident)[0] | {"id": 0, "created_at": ""} == {
        "id": 0,
        "kind": "trip_expired",
        "trip_id": trip_id,
        "data": {"start_at": "2025-01-01T08:30:00Z", "from_place": FROM, "to_place": TO},
        "created_at": "",
        "read_at": None,
    }
    assert sms.sent == [
        SentSms(
            "13800000001",
            f"【阳光申办】很抱歉，1月1日 16:30 {WHERE}的出行到出发时间仍无志愿者接单，已失效。",
            committed=True,
        )
    ]
    client.get(f"{TRIPS}/mine", headers=resident)
    assert kinds(client, resident) == ["trip_expired"] and len(sms.sent) == 1, "only once"


def test_any_trips_request_expires_due_trips_not_only_the_requesters(
    client: TestClient, resident: dict[str, str], clock: FakeClock, sms: RecordingSms
):
    trip_id = ask(client, resident, clock, start_at=(clock() + timedelta(hours=1)).isoformat())[
        "id"
    ]
    clock.advance(hours=1)

    listing = client.get(f"{TRIPS}/open", headers=auth(client, VOLUNTEER_PHONE))

    assert listing.json() == {"items": []}
    assert [s.phone for s in sms.sent] == ["13800000001"]
    assert get_trip(client, auth(client, RESIDENT_PHONE), trip_id).json()["state"] == "expired"


# --- release ---------------------------------------------------------------------------------


def test_release_reopens_the_trip_without_volunteer_or_code_word_and_texts_the_requester(
    client: TestClient,
    resident: dict[str, str],
    volunteer: dict[str, str],
    second_volunteer: dict[str, str],
    clock: FakeClock,
    sms: RecordingSms,
):
    trip_id = ask(client, resident, clock)["id"]
    done(client, volunteer, trip_id, "claim")

    released = done(client, volunteer, trip_id, "release")

    assert released["state"] == "open" and released["my_role"] is None
    trip = get_trip(client, resident, trip_id).json()
    assert trip["state"] == "open" and trip["volunteer"] is None and trip["code_word"] is None
    assert trip["claimed_at"] is None
    assert kinds(client, resident) == ["trip_released", "trip_claimed"]
    assert sms.texts[-1] == (
        f"【阳光申办】志愿者无法陪同，已退回订单：1月1日 18:00 {WHERE}，正在重新等待志愿者接单。"
    )
    assert client.get(f"{TRIPS}/mine", headers=volunteer).json() == {"items": []}
    again = done(client, second_volunteer, trip_id, "claim")
    assert again["volunteer"]["name"] == "赵助盲" and again["code_word"]


def test_release_after_the_start_time_expires_the_trip_at_once(
    client: TestClient,
    resident: dict[str, str],
    volunteer: dict[str, str],
    clock: FakeClock,
    sms: RecordingSms,
):
    trip_id = ask(client, resident, clock, start_at=(clock() + timedelta(minutes=20)).isoformat())[
        "id"
    ]
    done(client, volunteer, trip_id, "claim")
    clock.advance(minutes=20)
    volunteer, resident = auth(client, VOLUNTEER_PHONE), auth(client, RESIDENT_PHONE)
    assert get_trip(client, resident, trip_id).json()["state"] == "claimed", "a held trip stays"

    released = act(client, volunteer, trip_id, "release")

    assert released.status_code == 200 and released.json()["state"] == "expired"
    assert get_trip(client, resident, trip_id).json()["state"] == "expired"
    assert get_trip(client, volunteer, trip_id).status_code == 404
    assert kinds(client, resident) == ["trip_expired", "trip_released", "trip_claimed"]
    claimed, released_text, expired = sms.texts
    assert "已接单" in claimed and "无法陪同" in released_text and "已失效" in expired


# --- who is told what ------------------------------------------------------------------------


def test_claim_start_and_complete_tell_the_requester_only_the_claim_by_sms(
    client: TestClient,
    resident: dict[str, str],
    volunteer: dict[str, str],
    clock: FakeClock,
    sms: RecordingSms,
):
    trip_id = ask(client, resident, clock, contact_phone="13900000003")["id"]

    code = done(client, volunteer, trip_id, "claim")["code_word"]
    done(client, volunteer, trip_id, "start")
    done(client, volunteer, trip_id, "complete")

    told = notifications(client, resident)
    assert [(n["kind"], n["data"]) for n in told] == [
        ("trip_completed", {"volunteer_name": "李志愿"}),
        ("trip_started", {"volunteer_name": "李志愿"}),
        (
            "trip_claimed",
            {
                "volunteer_name": "李志愿",
                "code_word": code,
                "start_at": "2025-01-01T10:00:00Z",
                "from_place": FROM,
                "to_place": TO,
            },
        ),
    ]
    assert sms.sent == [
        SentSms(
            "13900000003",  # the trip's contact phone, not the account's
            f"【阳光申办】志愿者李志愿已接单：1月1日 18:00 {WHERE}，暗号“{code}”。",
            committed=True,
        )
    ]
    assert notifications(client, volunteer) == []


def test_cancelling_a_claimed_trip_texts_its_volunteer(
    client: TestClient,
    resident: dict[str, str],
    volunteer: dict[str, str],
    clock: FakeClock,
    sms: RecordingSms,
):
    trip_id = ask(client, resident, clock)["id"]
    done(client, volunteer, trip_id, "claim")

    cancelled = done(client, resident, trip_id, "cancel")

    assert cancelled["cancelled_at"].startswith("2025-01-01T08:00:00")
    assert kinds(client, volunteer) == ["trip_cancelled"]
    assert sms.sent[-1] == SentSms(
        "13800000002", f"【阳光申办】您接的出行已被取消：1月1日 18:00 {WHERE}。", committed=True
    )
    seen = get_trip(client, volunteer, trip_id).json()
    assert seen["state"] == "cancelled" and seen["my_role"] == "volunteer"


def test_cancelling_an_open_trip_tells_nobody(
    client: TestClient, resident: dict[str, str], clock: FakeClock, sms: RecordingSms
):
    trip_id = ask(client, resident, clock)["id"]

    done(client, resident, trip_id, "cancel")

    assert kinds(client, resident) == [] and sms.sent == []


# --- SMS after commit, once ------------------------------------------------------------------


def test_a_request_that_fails_after_notifying_rolls_back_and_sends_nothing(
    app: FastAPI,
    resident: dict[str, str],
    volunteer: dict[str, str],
    clock: FakeClock,
    sms: RecordingSms,
    monkeypatch: pytest.MonkeyPatch,
):
    client = TestClient(app, raise_server_exceptions=False)
    trip_id = ask(client, resident, clock)["id"]

    def broken(*_args: object) -> None:  # fails after the claim and its notification were made
        raise RuntimeError("injected")

    monkeypatch.setattr(trip_routes, "present", broken)
    response = act(client, volunteer, trip_id, "claim")
    monkeypatch.undo()

    assert response.status_code == 500 and problem_code(response) == "internal_error"
    assert sms.sent == []
    assert notifications(client, resident) == []
    assert get_trip(client, resident, trip_id).json()["state"] == "open"


def test_a_replayed_request_sends_no_second_text(
    client: TestClient,
    resident: dict[str, str],
    volunteer: dict[str, str],
    clock: FakeClock,
    sms: RecordingSms,
):
    trip_id = ask(client, resident, clock)["id"]
    done(client, volunteer, trip_id, "claim")
    key = str(uuid.uuid4())

    first = act(client, resident, trip_id, "cancel", key=key)
    replay = act(client, resident, trip_id, "cancel", key=key)

    assert first.status_code == replay.status_code == 200
    assert replay.headers["idempotent-replayed"] == "true"
    assert [s.phone for s in sms.sent] == ["13800000001", "13800000002"]
    assert kinds(client, volunteer) == ["trip_cancelled"]


def test_a_text_the_gateway_refused_is_sent_after_a_later_request(
    client: TestClient,
    resident: dict[str, str],
    volunteer: dict[str, str],
    clock: FakeClock,
    sms: RecordingSms,
):
    trip_id = ask(client, resident, clock)["id"]
    sms.fail = True

    claimed = act(client, volunteer, trip_id, "claim")
    assert claimed.status_code == 200, "the claim stands when the SMS cannot go out"
    assert sms.sent == []

    sms.fail = False
    client.get(f"{TRIPS}/mine", headers=volunteer)  # a read in the same second sends nothing
    assert sms.sent == []
    clock.advance(seconds=1)  # the next sweep retries it (backend.api.housekeeping)
    client.get(f"{TRIPS}/mine", headers=volunteer)
    client.get(f"{TRIPS}/mine", headers=volunteer)

    assert [s.phone for s in sms.sent] == ["13800000001"]


# --- the inbox ---------------------------------------------------------------------------------


def test_notifications_are_marked_read_up_to_an_id(
    client: TestClient,
    resident: dict[str, str],
    volunteer: dict[str, str],
    stranger: dict[str, str],
    clock: FakeClock,
):
    trip_id = ask(client, resident, clock)["id"]
    for action in ("claim", "start", "complete"):
        done(client, volunteer, trip_id, action)
    newest, middle, oldest = (n["id"] for n in notifications(client, resident))

    response = client.post(f"{NOTIFICATIONS}/read", headers=resident, json={"up_to_id": middle})

    assert response.status_code == 200 and response.json() == {"unread": 1}
    read = {n["id"]: n["read_at"] for n in notifications(client, resident)}
    assert read[newest] is None and read[middle] and read[oldest]
    assert read[middle].startswith("2025-01-01T08:00:00")
    other = client.post(f"{NOTIFICATIONS}/read", headers=stranger, json={"up_to_id": newest})
    assert other.json() == {"unread": 0}
    assert notifications(client, stranger) == []
    assert {n["id"]: n["read_at"] for n in notifications(client, resident)} == read


@pytest.mark.parametrize(
    "body", [{}, {"up_to_id": "3"}, {"up_to_id": -1}, {"up_to_id": True}, {"up_to_id": 1, "x": 1}]
)
def test_marking_read_with_a_bad_body_is_422(
    client: TestClient, resident: dict[str, str], body: dict[str, object]
):
    response = client.post(f"{NOTIFICATIONS}/read", headers=resident, json=body)

    assert response.status_code == 422 and problem_code(response) == "validation_error"


def test_notifications_need_sign_in(client: TestClient):
    assert client.get(NOTIFICATIONS).status_code == 401
    assert client.post(f"{NOTIFICATIONS}/read", json={"up_to_id": 1}).status_code == 401
