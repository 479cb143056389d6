"""Personal data is sealed at rest (issue 18, item 8): the database files themselves, and
PostgreSQL's own dump, hold no phone number, ID number, name, address, place or code word of
anyone; keys rotate without losing a row or signing anyone out; an engine without the keys
cannot read or write a sealed column."""

import json
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from route_fixtures import dev_code_settings  # noqa: F401 (fixture)
from route_support import API, DEV_CODE, Person, auth, trip_body
from sqlalchemy import Engine, column, select, table
from sqlalchemy.orm import Session

from backend.core.clock import FakeClock
from backend.core.config import Settings
from backend.core.db import create_db_engine
from backend.core.keys import KeyFileError, KeyRing
from backend.core.reseal import sealed_columns
from backend.core.sealed import NoKeysError
from backend.demo_users import RESIDENT_PHONE, VOLUNTEER_ID_NUMBER, VOLUNTEER_PHONE
from backend.models import User
from backend.tables import metadata

ADDRESS = "黄浦区瞿溪路一二三弄四号"
CONTACT = "女儿 13987654321"
FROM_PLACE = "老西门地铁站 7 号口"
NOTE = "左耳听不清，请在右边说话"


def the_database_as_stored(request: pytest.FixtureRequest, db_url: str) -> bytes:
    """The bytes on disk (SQLite: the file and its write-ahead log) or PostgreSQL's dump."""
    if db_url.startswith("sqlite"):
        path = Path(db_url.removeprefix("sqlite:///"))
        return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())
    return request.getfixturevalue("pg_cluster").dump(db_url)


def a_claimed_trip(client: TestClient, clock: FakeClock) -> str:
    """张阿姨 gives her address and asks for a guide; 李志愿 claims it. Returns the code word."""
    aunt, volunteer = Person(client, clock, RESIDENT_PHONE), Person(client, clock, VOLUNTEER_PHONE)
    changed = aunt.patch(
        f"{API}/me", json={"address": ADDRESS, "emergency_contact": CONTACT}, **{"If-Match": '"1"'}
    )
    assert changed.status_code == 200, changed.text
    asked = aunt.post(f"{API}/trips", json=trip_body(aunt.clock, from_place=FROM_PLACE, notes=NOTE))
    assert asked.status_code == 201, asked.text
    trip_id = asked.json()["id"]
    assert volunteer.post(f"{API}/trips/{trip_id}/claim").status_code == 200
    code_word = aunt.get(f"{API}/trips/{trip_id}").json()["code_word"]
    assert code_word
    return code_word


def test_no_one_is_readable_in_the_stored_database(
    request: pytest.FixtureRequest, app: FastAPI, db_url: str, client: TestClient, clock: FakeClock
):
    code_word = a_claimed_trip(client, clock)
    app.state.engine.dispose()

    stored = the_database_as_stored(request, db_url)

    known = {
        "her phone": RESIDENT_PHONE,
        "her ID number": "310101195503120028",
        "her name": "张阿姨",
        "her address": ADDRESS,
        "her emergency contact": CONTACT,
        "where she sets out": FROM_PLACE,
        "her note": NOTE,
        "the code word": code_word,
        "his name": "李志愿",
        "his ID number": VOLUNTEER_ID_NUMBER,
    }
    found = [what for what, value in known.items() if value.encode() in stored]
    assert found == []
    assert b"sighted_guide" in stored  # the scan does read the rows (the trip's needs)


def test_after_a_key_rotation_every_value_is_under_the_new_key_and_everyone_stays_signed_in(
    make_app: Any, db_url: str, seed_dir: Path, tmp_path: Path
):
    key_file = tmp_path / "keys.json"
    KeyRing.create(key_file, key_id="k1")
    settings = Settings(
        db_url=db_url, seed_dir=seed_dir, dev_login_code=DEV_CODE, key_file=key_file
    )
    before = make_app(settings)
    client = TestClient(before)
    her = auth(client, RESIDENT_PHONE)  # a token hashed under k1's pepper
    before.state.engine.dispose()

    document = json.loads(key_file.read_text())
    document["keys"]["k2"] = secrets.token_hex(32)
    document["current"] = "k2"
    key_file.write_text(json.dumps(document))
    rotated = rotate_keys(db_url, key_file)
    assert rotated.returncode == 0, rotated.stderr
    assert "sealed again under key k2" in rotated.stdout

    after = make_app(settings)
    assert set(key_ids(after.state.engine)) == {"k2"}
    client = TestClient(after)
    assert client.get(f"{API}/me", headers=her).json()["name"] == "张阿姨"  # still signed in
    assert client.get(f"{API}/me", headers=auth(client, RESIDENT_PHONE)).status_code == 200


def rotate_keys(db_url: str, key_file: Path) -> subprocess.CompletedProcess[str]:
    """``python -m backend rotate-keys`` as an operator runs it, with the server's key file."""
    return subprocess.run(
        [sys.executable, "-m", "backend", "rotate-keys", "--db", db_url],
        env={"PATH": "/usr/bin:/bin", "SUNSHINE_KEY_FILE": str(key_file), "SUNSHINE_ENV": "dev"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def key_ids(engine: Engine) -> list[str]:
    """The key id of every sealed value in the database, read raw."""
    ids = []
    with engine.connect() as connection:
        for spec in sealed_columns(metadata):
            raw = table(spec.table, *(column(name) for name in spec.columns))
            for row in connection.execute(select(raw)):
                ids += [value.split(":", 2)[1] for value in row if value is not None]
    return ids


def test_an_engine_without_the_keys_can_neither_read_nor_write_sealed_columns(
    app: FastAPI, db_url: str, client: TestClient, clock: FakeClock
):
    Person(client, clock, RESIDENT_PHONE).me()  # she exists, sealed
    keyless = create_db_engine(db_url)
    try:
        with Session(keyless) as session, pytest.raises(NoKeysError):
            session.scalars(select(User)).all()
        with Session(keyless) as session, pytest.raises(NoKeysError):
            session.add(User(phone="13900000009", name="无钥匙", roles=["resident"], version=1))
            session.flush()
    finally:
        keyless.dispose()


def test_a_server_given_another_key_under_the_same_id_refuses_to_start(
    make_app: Any, db_url: str, seed_dir: Path, tmp_path: Path
):
    ours, theirs = tmp_path / "ours.json", tmp_path / "theirs.json"
    KeyRing.create(ours, key_id="k1")
    KeyRing.create(theirs, key_id="k1")  # the same id, another key
    make_app(Settings(db_url=db_url, seed_dir=seed_dir, key_file=ours))

    with pytest.raises(KeyFileError, match="not the key this database was sealed with"):
        make_app(Settings(db_url=db_url, seed_dir=seed_dir, key_file=theirs))
    make_app(Settings(db_url=db_url, seed_dir=seed_dir, key_file=ours))  # ours still starts


def test_rotating_with_another_key_file_changes_nothing_and_says_why(
    make_app: Any, db_url: str, seed_dir: Path, tmp_path: Path
):
    ours, theirs = tmp_path / "ours.json", tmp_path / "theirs.json"
    KeyRing.create(ours, key_id="k1")
    KeyRing.create(theirs, key_id="k1")
    app = make_app(Settings(db_url=db_url, seed_dir=seed_dir, key_file=ours))
    app.state.engine.dispose()

    rotated = rotate_keys(db_url, theirs)

    assert rotated.returncode == 2
    assert "not the key this database was sealed with" in rotated.stderr
    assert set(
        key_ids(make_app(Settings(db_url=db_url, seed_dir=seed_dir, key_file=ours)).state.engine)
    ) == {"k1"}
