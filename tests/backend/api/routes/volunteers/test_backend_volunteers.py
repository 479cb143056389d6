"""/volunteers: registration with a GB 11643 ID number, pending or verified at once, staff
verification, and the demo volunteer and staff member."""

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from route_support import (
    API,
    VALID_ID_NUMBER,
    activity_keys,
    auth,
    problem_code,
    volunteer_form,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.core.clock import FakeClock
from backend.core.config import Settings
from backend.crud import get_user_by_phone
from backend.demo_users import RESIDENT_PHONE, STAFF_PHONE, VOLUNTEER_PHONE, seed_demo_users
from backend.trips.models import Volunteer

VOLUNTEERS = f"{API}/volunteers"
PHONE = "13700000001"


def register(client: TestClient, headers: dict[str, str], **changes: Any) -> Any:
    return client.post(
        VOLUNTEERS,
        headers={**headers, "Idempotency-Key": str(uuid.uuid4())},
        json={**volunteer_form(PHONE), **changes},
    )


def me(client: TestClient, headers: dict[str, str]) -> dict[str, Any]:
    return client.get(f"{API}/me", headers=headers).json()


@pytest.fixture
def newcomer(client: TestClient, clock: FakeClock) -> dict[str, str]:
    return auth(client, PHONE)


# --- registering ---------------------------------------------------------------------------


def test_registering_where_verification_is_automatic_verifies_at_once(
    client: TestClient, newcomer: dict[str, str]
):
    response = register(client, newcomer, real_name=" 赵助盲 ", phone="+86 137 0000 0001")

    assert response.status_code == 201, response.text
    body = response.json()
    assert body == {
        "user_id": me(client, newcomer)["id"],
        "real_name": "赵助盲",
        "id_number": "110***********002X",
        "phone": PHONE,
        "skills": ["sighted_guide", "sign_language", "wheelchair"],
        "districts": ["310101", "310104"],
        "availability": ["weekend"],
        "status": "verified",
        "created_at": "2025-01-01T08:00:00Z",
        "verified_at": "2025-01-01T08:00:00Z",
        "suspended_reason": None,
    }
    assert client.get(f"{VOLUNTEERS}/me", headers=newcomer).json() == body
    profile = me(client, newcomer)
    assert profile["roles"] == ["resident", "volunteer"] and profile["version"] == 2
    inbox = client.get(f"{API}/me/notifications", headers=newcomer).json()["items"]
    assert [(n["kind"], n["data"]) for n in inbox] == [("volunteer_verified", {})]
    assert client.get(f"{API}/trips/open", headers=newcomer).status_code == 200


@pytest.mark.parametrize("auto_verify", [False])
def test_registering_where_staff_verify_is_pending(client: TestClient, newcomer: dict[str, str]):
    response = register(client, newcomer)

    assert response.status_code == 201, response.text
    assert response.json()["status"] == "pending" and response.json()["verified_at"] is None
    profile = me(client, newcomer)
    assert profile["roles"] == ["resident"] and profile["version"] == 1
    opened = client.get(f"{API}/trips/open", headers=newcomer)
    assert opened.status_code == 403 and problem_code(opened) == "volunteer_not_verified"


def test_a_lower_case_x_is_accepted_and_stored_upper_case(
    client: TestClient, newcomer: dict[str, str], session: Session
):
    response = register(client, newcomer, id_number=VALID_ID_NUMBER.lower())

    assert response.status_code == 201, response.text
    assert response.json()["id_number"].endswith("002X")
    user_id = response.json()["user_id"]
    assert session.get(Volunteer, user_id).id_number == VALID_ID_NUMBER


@pytest.mark.parametrize(
    "id_number",
    [
        pytest.param("310104199001011233", id="a digit as check character"),
        pytest.param("110105200002291235", id="born 29 February 2000"),
    ],
)
def test_valid_id_numbers_are_accepted(
    client: TestClient, newcomer: dict[str, str], id_number: str
):
    assert register(client, newcomer, id_number=id_number).status_code == 201


@pytest.mark.parametrize(
    "id_number",
    [
        pytest.param("110105194912310021", id="wrong check digit"),
        pytest.param("310104199001011234", id="the old demo number, off by one"),
        pytest.param("110105194902301234", id="30 February"),
        pytest.param("110105190002291239", id="29 February 1900"),
        pytest.param("110105209901011234", id="born in 2099"),
        pytest.param("11010519491231002", id="17 characters"),
        pytest.param("11010519491231002X1", id="19 characters"),
        pytest.param("", id="empty"),
        pytest.param("11010519491231002Y", id="Y as check character"),
        pytest.param("1101051949123100AX", id="a letter among the digits"),
        pytest.param("１１０１０５１９４９１２３１００２X", id="full-width digits"),
        pytest.param("110105 1949123100X", id="a space inside"),
    ],
)
def test_an_invalid_id_number_is_422_on_that_field(
    client: TestClient, newcomer: dict[str, str], id_number: str
):
    response = register(client, newcomer, id_number=id_number)

    assert response.status_code == 422 and problem_code(response) == "validation_error"
    assert [e["loc"] for e in response.json()["errors"]] == [["body", "id_number"]]
    assert not id_number or id_number not in response.text, "the number is not echoed back"
    assert client.get(f"{VOLUNTEERS}/me", headers=newcomer).status_code == 404


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"real_name": "  "}, "real_name"),
        ({"real_name": "名" * 33}, "real_name"),
        ({"phone": "1380000"}, "phone"),
        ({"skills": []}, "skills"),
        ({"skills": ["wheelchair", "wheelchair"]}, "skills"),
        ({"skills": ["driving"]}, "skills"),
        ({"districts": ["310101", "999999"]}, "districts"),
        ({"districts": [f"3101{n:02d}" for n in range(17)]}, "districts"),
        ({"availability": ["always"]}, "availability"),
        ({"availability": []}, "availability"),
        ({"status": "verified"}, "status"),
    ],
)
def test_other_bad_fields_are_422(
    client: TestClient, newcomer: dict[str, str], changes: dict[str, Any], field: str
):
    response = register(client, newcomer, **changes)

    assert response.status_code == 422 and problem_code(response) == "validation_error"
    assert [e["loc"][:2] for e in response.json()["errors"]] == [["body", field]]


def test_registering_twice_is_volunteer_exists_but_a_replay_is_201(
    client: TestClient, newcomer: dict[str, str], session: Session
):
    key = {"Idempotency-Key": str(uuid.uuid4())}
    body = volunteer_form(PHONE)
    first = client.post(VOLUNTEERS, headers={**newcomer, **key}, json=body)

    replay = client.post(VOLUNTEERS, headers={**newcomer, **key}, json=body)
    again = register(client, newcomer, real_name="别名")

    assert first.status_code == replay.status_code == 201
    assert replay.headers["idempotent-replayed"] == "true"
    assert again.status_code == 409 and problem_code(again) == "volunteer_exists"
    assert client.get(f"{VOLUNTEERS}/me", headers=newcomer).json()["real_name"] == "赵助盲"
    assert activity_keys(session, me(client, newcomer)["id"]) == [
        ("volunteer_registered", None, key["Idempotency-Key"])
    ]


def test_my_registration_is_404_not_registered_until_i_register(
    client: TestClient, newcomer: dict[str, str]
):
    response = client.get(f"{VOLUNTEERS}/me", headers=newcomer)

    assert response.status_code == 404 and problem_code(response) == "not_registered"


def test_volunteer_routes_need_sign_in(client: TestClient):
    assert client.get(f"{VOLUNTEERS}/me").status_code == 401
    assert client.post(VOLUNTEERS, json=volunteer_form(PHONE)).status_code == 401
    assert client.post(f"{VOLUNTEERS}/1/verify").status_code == 401


# --- staff verification ----------------------------------------------------------------------


@pytest.mark.parametrize("auto_verify", [False])
def test_staff_verify_a_pending_volunteer(
    client: TestClient,
    newcomer: dict[str, str],
    staff: dict[str, str],
    clock: FakeClock,
    session: Session,
):
    user_id = register(client, newcomer).json()["user_id"]
    clock.advance(hours=3)
    staff = auth(client, STAFF_PHONE)
    key = str(uuid.uuid4())

    response = client.post(
        f"{VOLUNTEERS}/{user_id}/verify", headers={**staff, "Idempotency-Key": key}
    )

    assert response.status_code == 200, response.text
    assert response.json()["status"] == "verified"
    assert response.json()["verified_at"] == "2025-01-01T11:00:00Z"
    newcomer = auth(client, PHONE)
    profile = me(client, newcomer)
    assert profile["roles"] == ["resident", "volunteer"] and profile["version"] == 2
    inbox = client.get(f"{API}/me/notifications", headers=newcomer).json()["items"]
    assert [n["kind"] for n in inbox] == ["volunteer_verified"]
    activity = client.get(f"{API}/me/activity", headers=newcomer).json()["items"]
    assert (activity[0]["action"], activity[0]["acted_for_me_by"]) == (
        "volunteer_verified",
        me(client, staff)["id"],
    )
    assert activity_keys(session, user_id)[0][2] == key
    assert client.get(f"{API}/trips/open", headers=newcomer).status_code == 200

    again = client.post(f"{VOLUNTEERS}/{user_id}/verify", headers=staff)
    assert again.status_code == 200 and again.json() == response.json()
    assert me(client, newcomer)["version"] == 2, "verifying a verified volunteer changes nothing"


@pytest.mark.parametrize("auto_verify", [False])
@pytest.mark.parametrize("phone", [PHONE, VOLUNTEER_PHONE, RESIDENT_PHONE])
def test_only_staff_verify(client: TestClient, newcomer: dict[str, str], phone: str):
    user_id = register(client, newcomer).json()["user_id"]

    response = client.post(f"{VOLUNTEERS}/{user_id}/verify", headers=auth(client, phone))

    assert response.status_code == 403 and problem_code(response) == "forbidden"
    assert client.get(f"{VOLUNTEERS}/me", headers=newcomer).json()["status"] == "pending"


def test_verifying_someone_not_registered_is_404(
    client: TestClient, staff: dict[str, str], newcomer: dict[str, str]
):
    for user_id in (me(client, newcomer)["id"], 999_999):
        response = client.post(f"{VOLUNTEERS}/{user_id}/verify", headers=staff)
        assert response.status_code == 404 and problem_code(response) == "not_found"


def test_auto_verification_defaults_to_dev_mode_only(production_settings):
    assert Settings(env="dev", seed_dir=None).volunteers_auto_verified is True
    assert production_settings().volunteers_auto_verified is False
    dev_without = Settings(env="dev", seed_dir=None, auto_verify_volunteers=False)
    assert dev_without.volunteers_auto_verified is False
    # Production refuses it outright: tests/backend/test_backend_production.py.


# --- demo data -------------------------------------------------------------------------------


def test_the_demo_volunteer_is_registered_and_verified(client: TestClient, clock: FakeClock):
    registration = client.get(f"{VOLUNTEERS}/me", headers=auth(client, VOLUNTEER_PHONE)).json()

    assert registration["real_name"] == "李志愿" and registration["status"] == "verified"
    assert registration["id_number"] == "310***********1233"
    assert registration["skills"] == ["sighted_guide", "wheelchair"]
    assert registration["districts"] == ["310101", "310104", "310105"]
    assert registration["availability"] == ["weekend", "weekday_evening"]


def test_the_demo_staff_member(client: TestClient, staff: dict[str, str]):
    profile = me(client, staff)

    assert profile["name"] == "王社工" and profile["roles"] == ["resident", "staff"]


def test_a_database_seeded_before_volunteers_existed_gets_the_demo_registration_once(
    make_app: Callable[..., FastAPI], settings: Settings
):
    app = make_app(settings)
    with app.state.session_factory() as session:  # as an earlier version left it
        user = get_user_by_phone(session, VOLUNTEER_PHONE)
        session.delete(session.get(Volunteer, user.id))
        user.id_number = "310104199001011234"
        session.commit()

    make_app(settings)  # the next start seeds again
    with app.state.session_factory() as session:
        assert seed_demo_users(session) == 0, "and again: no new users"
        user = get_user_by_phone(session, VOLUNTEER_PHONE)
        assert user.id_number == "310104199001011233"
        assert session.get(Volunteer, user.id).status == "verified"
        assert len(session.scalars(select(Volunteer)).all()) == 1
