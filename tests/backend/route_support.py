"""What route tests share besides fixtures: the dev sign-in code, signing in, problem codes and
an SMS provider that records what it was asked to send. (A unique module name: tests/ has no
packages; tests/backend is on sys.path through its conftest.)"""

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from backend.core.clock import FakeClock
from backend.models import ActivityEntry
from backend.notify.models import Notification

API = "/api/v1"
DEV_CODE = "135790"
EVENTS = f"{API}/events"
VENUE = "inst-sunshine-home"  # in the test seed's institutions
TOKEN_REFRESH = timedelta(minutes=10)  # access tokens live 15 minutes


def auth(client: TestClient, phone: str) -> dict[str, str]:
    response = client.post(f"{API}/auth/token", json={"phone": phone, "code": DEV_CODE})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def from_address(app: Any, address: str) -> TestClient:
    """A client whose requests come from ``address`` (another network than the others')."""
    return TestClient(app, client=(address, 50000))


def problem_code(response: Any) -> str:
    assert response.headers["content-type"] == "application/problem+json", response.text
    return response.json()["code"]


def activity_keys(session: Session, user_id: int) -> list[tuple[str, str | None, str | None]]:
    """(action, target, Idempotency-Key) of each activity entry of ``user_id``, newest first,
    as stored: the key is not shown on the wire (GET /me/activity)."""
    session.expire_all()
    entries = session.scalars(
        select(ActivityEntry)
        .where(ActivityEntry.user_id == user_id)
        .order_by(ActivityEntry.id.desc())
    )
    return [(e.action, e.target, e.request_key) for e in entries]


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
        with self.sessions() as session:  # sealed columns: compared once read
            rows = session.execute(select(Notification.sms_phone, Notification.sms_text)).all()
        self.sent.append(SentSms(phone, text, committed=(phone, text) in rows))

    def close(self) -> None:
        pass

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


@dataclass
class Person:
    """Someone signed in on ``client``; ``act_for`` adds X-Act-For to every request."""

    client: TestClient
    clock: FakeClock
    phone: str
    act_for: str | None = None
    _headers: dict[str, str] = field(default_factory=dict)
    _signed_at: datetime | None = None

    @property
    def headers(self) -> dict[str, str]:
        now = self.clock()
        if self._signed_at is None or not (now - TOKEN_REFRESH < self._signed_at <= now):
            self._headers = auth(self.client, self.phone)
            self._signed_at = now
        acting = {} if self.act_for is None else {"X-Act-For": self.act_for}
        return {**self._headers, **acting}

    def write(self, key: str | None = None, **extra: str) -> dict[str, str]:
        return {**self.headers, "Idempotency-Key": key or str(uuid.uuid4()), **extra}

    def get(self, path: str) -> Any:
        return self.client.get(path, headers=self.headers)

    def post(self, path: str, json: Any = None, key: str | None = None, **extra: str) -> Any:
        return self.client.post(path, headers=self.write(key, **extra), json=json)

    def patch(self, path: str, json: Any = None, key: str | None = None, **extra: str) -> Any:
        return self.client.patch(path, headers=self.write(key, **extra), json=json)

    def delete(self, path: str, key: str | None = None) -> Any:
        return self.client.delete(path, headers=self.write(key))

    def me(self) -> dict[str, Any]:
        response = self.get(f"{API}/me")
        assert response.status_code == 200, response.text
        return response.json()


def trip_body(clock: FakeClock, **changes: Any) -> dict[str, Any]:
    """A valid POST /trips body starting in two hours."""
    return {
        "from_place": "人民广场地铁站 1 号口",
        "to_place": "瑞金医院门诊楼",
        "start_at": (clock() + timedelta(hours=2)).isoformat(),
        "district": "310101",
        "needs": ["sighted_guide"],
        "contact_phone": "13800000001",
        "notes": None,
        **changes,
    }


def event_body(clock: FakeClock, **changes: Any) -> dict[str, Any]:
    """A valid POST /events body: tomorrow 16:00-18:00 in Shanghai, 2 places, sign-up closing
    an hour and cancelling two hours before the start."""
    start = clock() + timedelta(days=1)
    return {
        "title": "阳光之家手工编织小组",
        "summary": "社工带大家编织杯垫。",
        "institution_id": VENUE,
        "room": "二楼活动室",
        "district": "310101",
        "start_at": start.isoformat(),
        "end_at": (start + timedelta(hours=2)).isoformat(),
        "capacity": 2,
        "signup_deadline": (start - timedelta(hours=1)).isoformat(),
        "cancel_deadline": (start - timedelta(hours=2)).isoformat(),
        "provides": ["现场手语翻译", "可带导盲犬"],
        **changes,
    }


def create_staff_event(staff: Person, **changes: Any) -> dict[str, Any]:
    """Staff create an event; returns it (with its code; 201 asserted)."""
    response = staff.post(EVENTS, json=event_body(staff.clock, **changes))
    assert response.status_code == 201, response.text
    return response.json()
