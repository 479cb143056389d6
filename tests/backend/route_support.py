"""What route tests share besides fixtures: the dev sign-in code, signing in, problem codes and
an SMS provider that records what it was asked to send. (A unique module name: tests/ has no
packages; tests/backend is on sys.path through its conftest.)"""

from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from backend.notify.models import Notification

API = "/api/v1"
DEV_CODE = "135790"


def auth(client: TestClient, phone: str) -> dict[str, str]:
    response = client.post(f"{API}/auth/token", json={"phone": phone, "code": DEV_CODE})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def problem_code(response: Any) -> str:
    assert response.headers["content-type"] == "application/problem+json", response.text
    return response.json()["code"]


@dataclass(frozen=True)
class SentSms:
    phone: str
    text: str
    committed: bool  # was the notification carrying it committed when it was sent?


@dataclass
class RecordingSms:
    """An SMS provider for tests: records each text, and whether the row it came from was
    visible to another session (i.e. committed) at the moment of sending."""

    sessions: sessionmaker[Session]
    sent: list[SentSms] = field(default_factory=list)
    fail: bool = False

    def send(self, phone: str, text: str) -> None:
        if self.fail:
            raise ConnectionError("gateway down")
        with self.sessions() as session:
            row = session.scalars(
                select(Notification.id).where(
                    Notification.sms_text == text, Notification.sms_phone == phone
                )
            ).first()
        self.sent.append(SentSms(phone, text, committed=row is not None))

    @property
    def texts(self) -> list[str]:
        return [s.text for s in self.sent]


VALID_ID_NUMBER = "11010519491231002X"  # the worked example of GB 11643 itself


def volunteer_form(phone: str, **changes: Any) -> dict[str, Any]:
    """A valid POST /volunteers body."""
    return {
        "real_name": "赵助盲",
        "id_number": VALID_ID_NUMBER,
        "phone": phone,
        "skills": ["sighted_guide", "sign_language", "wheelchair"],
        "districts": ["310101", "310104"],
        "availability": ["weekend"],
        **changes,
    }


def register_volunteer(client: TestClient, phone: str, **changes: Any) -> dict[str, str]:
    """Sign ``phone`` in and register them as a volunteer; returns their auth headers."""
    headers = auth(client, phone)
    response = client.post(
        f"{API}/volunteers", headers=headers, json=volunteer_form(phone, **changes)
    )
    assert response.status_code == 201, response.text
    return headers
