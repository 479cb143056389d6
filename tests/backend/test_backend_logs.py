"""Nothing personal reaches the backend's log (issue 18, item 9): a run through the flows that
send text messages (a trip claimed with its code word, cancelled with its route; a consent
used) leaves no phone number, name, place, code word or consent code in any log record, while
the log does say that each text went out."""

import logging
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from route_fixtures import dev_code_settings  # noqa: F401 (fixture)
from route_support import API, Person, trip_body

from backend.core.clock import FakeClock
from backend.demo_users import RESIDENT_PHONE, VOLUNTEER_PHONE
from backend.notify.sms import LoggingSmsProvider

NIECE_PHONE = "15000000007"
LOGGERS = ("", "backend", "uvicorn", "uvicorn.error", "uvicorn.access", "fastapi", "httpx")


@pytest.fixture
def every_log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Every record of the backend and the servers around it, at DEBUG."""
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def logged_text(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(
        f"{record.getMessage()} {record.exc_text or ''} {record.__dict__}"
        for record in caplog.records
    )


def test_texts_and_their_people_never_reach_the_log(
    app: FastAPI, client: TestClient, clock: FakeClock, every_log: pytest.LogCaptureFixture
) -> None:
    assert isinstance(app.state.sms, LoggingSmsProvider)  # the dev provider, which logs
    aunt, volunteer, niece = (
        Person(client, clock, phone) for phone in (RESIDENT_PHONE, VOLUNTEER_PHONE, NIECE_PHONE)
    )
    places = {"from_place": "人民广场地铁站 3 号口", "to_place": "瑞金医院门诊楼"}
    trips = f"{API}/trips"
    claimed = aunt.post(trips, json=trip_body(clock, **places)).json()
    assert volunteer.post(f"{trips}/{claimed['id']}/claim").status_code == 200
    code_word = aunt.get(f"{trips}/{claimed['id']}").json()["code_word"]
    assert aunt.post(f"{trips}/{claimed['id']}/cancel").status_code == 200  # told by SMS
    consent_code = aunt.post(f"{API}/me/consent-codes").json()["code"]
    redeemed = niece.post(
        f"{API}/proxy/consents", json={"resident_phone": RESIDENT_PHONE, "code": consent_code}
    )
    assert redeemed.status_code == 201

    text = logged_text(every_log)
    secrets: dict[str, Any] = {
        "code word": code_word,
        "consent code": consent_code,
        "resident's phone": RESIDENT_PHONE,
        "volunteer's phone": VOLUNTEER_PHONE,
        "helper's phone": NIECE_PHONE,
        "resident's name": aunt.me()["name"],
        "volunteer's name": volunteer.me()["name"],
        "from": places["from_place"],
        "to": places["to_place"],
    }
    assert [what for what, secret in secrets.items() if secret in text] == []
    # Not vacuous: the texts were sent, and the log says so with masked phones.
    assert "138****0001" in text and "138****0002" in text
