"""Staff and volunteers (issue 18, item 10): staff act only in their districts, a verification
records who verified, and a suspended volunteer can neither claim nor start a trip."""

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from route_support import API, auth, problem_code, register_volunteer, trip_body, volunteer_form
from sqlalchemy.orm import Session

from backend.core.clock import FakeClock
from backend.demo_users import RESIDENT_PHONE, STAFF_PHONE, VOLUNTEER_PHONE
from backend.trips.models import Volunteer

VOLUNTEERS = f"{API}/volunteers"
PHONE = "13700000001"
REASON = "两次未按约定到达，暂停接单，请到街道服务点说明情况。"


def post(client: TestClient, path: str, headers: dict[str, str], json: Any = None) -> Any:
    return client.post(path, headers={**headers, "Idempotency-Key": str(uuid.uuid4())}, json=json)


def registered(client: TestClient, **changes: Any) -> tuple[int, dict[str, str]]:
    """A newcomer's pending registration: (their user id, their headers)."""
    headers = auth(client, PHONE)
    response = post(client, VOLUNTEERS, headers, volunteer_form(PHONE, **changes))
    assert response.status_code == 201, response.text
    return response.json()["user_id"], headers


@pytest.mark.parametrize("auto_verify", [False])
def test_a_verification_records_who_verified(
    client: TestClient, staff: dict[str, str], session: Session
):
    user_id, _ = registered(client)

    assert post(client, f"{VOLUNTEERS}/{user_id}/verify", staff).status_code == 200

    staff_id = client.get(f"{API}/me", headers=staff).json()["id"]
    volunteer = session.get(Volunteer, user_id, populate_existing=True)
    assert volunteer is not None and volunteer.verified_by == staff_id


@pytest.mark.parametrize("auto_verify", [False])
@pytest.mark.parametrize("action", ["verify", "suspend", "reinstate"])
def test_staff_act_only_for_volunteers_of_their_districts(
    client: TestClient, staff: dict[str, str], action: str
):
    """王社工 runs 黄浦 and 徐汇; this volunteer serves 杨浦 only."""
    user_id, mine = registered(client, districts=["310110"])

    response = post(client, f"{VOLUNTEERS}/{user_id}/{action}", staff, {"reason": REASON})

    assert response.status_code == 403 and problem_code(response) == "not_your_district"
    assert client.get(f"{VOLUNTEERS}/me", headers=mine).json()["status"] == "pending"


@pytest.mark.parametrize("action", ["suspend", "reinstate"])
@pytest.mark.parametrize("phone", [RESIDENT_PHONE, VOLUNTEER_PHONE])
def test_only_staff_suspend_or_reinstate(
    client: TestClient, clock: FakeClock, action: str, phone: str
):
    user_id, _ = registered(client)

    response = post(
        client, f"{VOLUNTEERS}/{user_id}/{action}", auth(client, phone), {"reason": REASON}
    )

    assert response.status_code == 403 and problem_code(response) == "forbidden"
    assert (
        client.post(f"{VOLUNTEERS}/{user_id}/{action}", json={"reason": REASON}).status_code == 401
    )


def test_a_suspended_volunteer_cannot_claim_or_start_but_can_finish(
    client: TestClient, clock: FakeClock, staff: dict[str, str]
):
    resident = auth(client, RESIDENT_PHONE)
    volunteer = register_volunteer(client, PHONE)
    user_id = client.get(f"{API}/me", headers=volunteer).json()["id"]
    held = post(client, f"{API}/trips", resident, trip_body(clock)).json()["id"]
    assert post(client, f"{API}/trips/{held}/claim", volunteer).status_code == 200
    fresh = post(client, f"{API}/trips", resident, trip_body(clock, to_place="第九人民医院")).json()

    suspended = post(client, f"{VOLUNTEERS}/{user_id}/suspend", staff, {"reason": REASON})

    assert suspended.status_code == 200, suspended.text
    assert suspended.json()["status"] == "suspended"
    mine = client.get(f"{VOLUNTEERS}/me", headers=volunteer).json()
    assert (mine["status"], mine["suspended_reason"]) == ("suspended", REASON)
    for path in (f"trips/{fresh['id']}/claim", f"trips/{held}/start"):
        refused = post(client, f"{API}/{path}", volunteer)
        assert refused.status_code == 403 and problem_code(refused) == "volunteer_suspended"
    refused = client.get(f"{API}/trips/open", headers=volunteer)
    assert refused.status_code == 403 and problem_code(refused) == "volunteer_suspended"
    assert post(client, f"{API}/trips/{held}/release", volunteer).status_code == 200

    reinstated = post(client, f"{VOLUNTEERS}/{user_id}/reinstate", staff)
    assert reinstated.status_code == 200
    assert (reinstated.json()["status"], reinstated.json()["suspended_reason"]) == (
        "verified",
        None,
    )
    assert post(client, f"{API}/trips/{fresh['id']}/claim", volunteer).status_code == 200
    activity = client.get(f"{API}/me/activity", headers=volunteer).json()["items"]
    assert [a["action"] for a in activity if a["action"].startswith("volunteer_")][:2] == [
        "volunteer_reinstated",
        "volunteer_suspended",
    ]


@pytest.mark.parametrize("auto_verify", [False])
def test_a_pending_registration_is_not_suspended(client: TestClient, staff: dict[str, str]):
    user_id, mine = registered(client)

    response = post(client, f"{VOLUNTEERS}/{user_id}/suspend", staff, {"reason": REASON})

    assert response.status_code == 409 and problem_code(response) == "not_verified"
    assert client.get(f"{VOLUNTEERS}/me", headers=mine).json()["status"] == "pending"


@pytest.mark.parametrize("reason", ["", "x" * 201])
def test_a_suspension_says_why_in_at_most_200_characters(
    client: TestClient, staff: dict[str, str], reason: str
):
    user_id, _ = registered(client)

    response = post(client, f"{VOLUNTEERS}/{user_id}/suspend", staff, {"reason": reason})

    assert response.status_code == 422


def test_staff_without_districts_can_do_nothing_as_staff(
    client: TestClient, session: Session, staff: dict[str, str]
):
    from backend.crud import get_user_by_phone

    clerk = get_user_by_phone(session, STAFF_PHONE)
    assert clerk is not None
    clerk.staff_districts = None
    session.commit()
    user_id, _ = registered(client)

    response = post(client, f"{VOLUNTEERS}/{user_id}/suspend", staff, {"reason": REASON})

    assert response.status_code == 403 and problem_code(response) == "not_your_district"
