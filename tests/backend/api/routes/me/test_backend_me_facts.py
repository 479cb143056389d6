"""/me facts: what matching knows about a person, merged by PATCH, birth date from the ID."""

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from me_support import DEV_CODE, ME, auth
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from backend.core import migrate
from backend.core.clock import FakeClock
from backend.core.config import Settings
from backend.core.db import create_db_engine
from backend.crud import get_user_by_phone
from backend.demo_users import (
    RESIDENT_BIRTH_DATE,
    RESIDENT_FACTS,
    RESIDENT_PHONE,
    VOLUNTEER_PHONE,
)
from backend.models import ActivityEntry, User, birth_date_from_id_number
from tests.databases import server_keys

# What /me shows for 张阿姨: her seeded facts, her birth date from the ID, low income unknown.
AUNT_FACTS = {**RESIDENT_FACTS, "birth_date": RESIDENT_BIRTH_DATE, "low_income": None}


def patch(client: TestClient, headers: dict[str, str], body: Any, version: int = 1) -> Any:
    return client.patch(ME, headers={**headers, "If-Match": f'"{version}"'}, json=body)


def stored_facts(session: Session, phone: str = RESIDENT_PHONE) -> dict[str, Any] | None:
    return _user(session, phone).facts


def _user(session: Session, phone: str) -> User:
    user = get_user_by_phone(session, phone)
    assert user is not None
    return user


def test_the_demo_resident_has_facts_with_her_birth_date_from_the_id_number(
    client: TestClient, aunt: dict[str, str]
):
    assert client.get(ME, headers=aunt).json()["facts"] == AUNT_FACTS


def test_the_demo_volunteer_has_no_certificate(client: TestClient, clock: FakeClock):
    facts = client.get(ME, headers=auth(client, VOLUNTEER_PHONE)).json()["facts"]

    assert facts["hukou"] == "shanghai" and facts["certificate"] is False
    assert facts["birth_date"] == "1990-01-01"
    assert facts["level"] is None and facts["category"] is None


def test_patching_facts_merges_them_bumps_the_version_and_records_activity(
    client: TestClient, aunt: dict[str, str], session: Session
):
    response = patch(client, aunt, {"facts": {"low_income": "dibao", "level": 1}})

    assert response.status_code == 200, response.text
    assert response.headers["etag"] == '"2"'
    body = response.json()
    assert body["facts"] == {**AUNT_FACTS, "low_income": "dibao", "level": 1}
    assert body["address"] == "上海市黄浦区示例路 100 弄 1 号 101 室", "contact fields kept"
    assert client.get(ME, headers=aunt).json() == body
    activity = session.scalars(select(ActivityEntry)).all()
    assert [(a.action, a.target) for a in activity] == [("profile_changed", "facts")]


def test_null_forgets_a_fact_and_keeps_the_others(
    client: TestClient, aunt: dict[str, str], session: Session
):
    response = patch(client, aunt, {"facts": {"level": None, "category": None}})

    assert response.status_code == 200, response.text
    assert response.json()["facts"] == {**AUNT_FACTS, "level": None, "category": None}
    stored = stored_facts(session)
    assert stored is not None and "level" not in stored and "category" not in stored


def test_facts_and_contact_fields_change_together(client: TestClient, aunt: dict[str, str]):
    response = patch(client, aunt, {"address": "新地址", "facts": {"student": True}})

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["address"] == "新地址" and body["facts"]["student"] is True
    assert body["version"] == 2


@pytest.mark.parametrize("facts", [None, {}])
def test_no_facts_given_changes_no_fact(client: TestClient, aunt: dict[str, str], facts: Any):
    response = patch(client, aunt, {"facts": facts})

    assert response.status_code == 200, response.text
    assert response.json()["facts"] == AUNT_FACTS


@pytest.mark.parametrize(
    "facts",
    [
        {"level": 5},
        {"level": 0},
        {"level": "2"},
        {"level": True},
        {"level": 2.5},
        {"certificate": "yes"},
        {"certificate": 1},
        {"student": "false"},
        {"hukou": "beijing"},
        {"category": "blind"},
        {"low_income": "poor"},
        {"employment": "student"},
        {"district": "110101"},
        {"district": "3101011"},
        {"district": 310101},
        {"pets": 2},
        {"age": 70},
        {"birth_date": "2000-01-01"},
        {"birth_date": None},
        ["level", 2],
        "level",
    ],
)
def test_invalid_facts_are_422_and_change_nothing(
    client: TestClient, aunt: dict[str, str], facts: Any
):
    response = patch(client, aunt, {"facts": facts})

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "validation_error"
    me = client.get(ME, headers=aunt).json()
    assert (me["version"], me["facts"]) == (1, AUNT_FACTS)


def test_a_birth_date_on_record_wins_over_the_id_number(
    client: TestClient, aunt: dict[str, str], session: Session
):
    _user(session, RESIDENT_PHONE).facts = {"birth_date": "1956-01-02", "hukou": "other"}
    session.commit()

    facts = client.get(ME, headers=aunt).json()["facts"]

    assert facts["birth_date"] == "1956-01-02" and facts["hukou"] == "other"


def test_no_id_number_means_no_birth_date(
    client: TestClient, aunt: dict[str, str], session: Session
):
    _user(session, RESIDENT_PHONE).id_number = None
    session.commit()

    assert client.get(ME, headers=aunt).json()["facts"]["birth_date"] is None


@pytest.mark.parametrize(
    ("id_number", "birth_date"),
    [
        ("310101195503120028", date(1955, 3, 12)),
        ("11010519491231002X", date(1949, 12, 31)),
        ("11010519491231002x", date(1949, 12, 31)),
        ("310101195502300028", None),  # 30 February
        ("310101195513120028", None),  # month 13
        ("310101550312002", None),  # old 15-digit number: century unknown, not guessed
        ("3101011955031200", None),
        ("", None),
        (None, None),
        ("３１０１０１１９５５０３１２００２８", None),  # full-width digits are not stored ones
    ],
)
def test_birth_date_from_the_id_number(id_number: str | None, birth_date: date | None):
    assert birth_date_from_id_number(id_number) == birth_date


def test_a_database_from_before_facts_existed_gets_the_column_on_start(
    make_app: Callable[..., FastAPI], empty_db_url: str, seed_dir: Path
):
    """A database made before Alembic and before the column (backend.core.migrate adopts it)."""
    settings = Settings(db_url=empty_db_url, seed_dir=seed_dir, dev_login_code=DEV_CODE)
    old = create_db_engine(settings.db_url, server_keys())
    migrate.upgrade(old, to=migrate.FIRST_REVISION)
    with old.begin() as connection:
        connection.execute(text("DROP TABLE alembic_version"))
        connection.execute(text("ALTER TABLE users DROP COLUMN facts"))
        # 张阿姨 signed up back then: the demo seed leaves her row as it is.
        connection.execute(
            text(
                "INSERT INTO users (phone, name, roles, id_number, version, example_data, "
                "created_at) VALUES (:phone, '张阿姨', '[\"resident\"]', '310101195503120028', "
                "1, true, '2026-01-01')"
            ),
            {"phone": RESIDENT_PHONE},
        )
    old.dispose()

    app = make_app(settings)
    app.state.clock = FakeClock()
    client = TestClient(app)

    facts = client.get(ME, headers=auth(client, RESIDENT_PHONE)).json()["facts"]
    assert facts == {key: None for key in AUNT_FACTS} | {"birth_date": "1955-03-12"}
    headers = {**auth(client, RESIDENT_PHONE), "If-Match": '"1"'}
    response = client.patch(ME, headers=headers, json={"facts": {"level": 3}})
    assert response.status_code == 200, response.text
    assert response.json()["facts"]["level"] == 3
