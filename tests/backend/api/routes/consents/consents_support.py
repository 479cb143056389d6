"""Helpers of the consent tests: people who sign in again as the frozen clock moves and may act
for someone, a valid event, and the requests the tests repeat. (A unique module name.)"""

import uuid
from typing import Any

from route_support import API, EVENTS, Person, create_staff_event

from backend.demo_users import RESIDENT_PHONE

CODES = f"{API}/me/consent-codes"
PROXY = f"{API}/proxy/consents"
MY_CONSENTS = f"{API}/me/consents"
HELPER_PHONE = "15000000007"


def make_code(resident: Person, lasts: str | None = None, key: str | None = None) -> Any:
    body = None if lasts is None else {"lasts": lasts}
    return resident.post(CODES, json=body, key=key)


def new_code(resident: Person, lasts: str | None = None) -> str:
    response = make_code(resident, lasts)
    assert response.status_code == 201, response.text
    return response.json()["code"]


def redeem(
    helper: Person, code: str, key: str | None = None, resident_phone: str = RESIDENT_PHONE
) -> Any:
    """The helper types the resident's phone (the demo resident's unless given) and code."""
    return helper.post(PROXY, json={"resident_phone": resident_phone, "code": code}, key=key)


def pending_between(resident: Person, helper: Person, lasts: str | None = None) -> dict[str, Any]:
    """The helper redeemed the resident's code; the resident has not confirmed it."""
    response = redeem(helper, new_code(resident, lasts), resident_phone=resident.phone)
    assert response.status_code == 201, response.text
    return response.json()


def confirm(resident: Person, consent_id: str) -> Any:
    return resident.post(f"{MY_CONSENTS}/{consent_id}/confirm")


def consent_between(resident: Person, helper: Person, lasts: str | None = None) -> dict[str, Any]:
    """A consent the resident confirmed: the helper may act for them."""
    response = confirm(resident, pending_between(resident, helper, lasts)["id"])
    assert response.status_code == 200, response.text
    return response.json()


def acting(helper: Person, consent: dict[str, Any]) -> Person:
    """The same helper, sending X-Act-For with ``consent``."""
    return Person(helper.client, helper.clock, helper.phone, act_for=consent["id"])


def my_consents(resident: Person) -> list[dict[str, Any]]:
    response = resident.get(MY_CONSENTS)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def create_event(staff: Person, **changes: Any) -> dict[str, Any]:
    """Tomorrow, 2 places, nothing provided; sign-up closes an hour before the start."""
    return create_staff_event(staff, **{"provides": [], **changes})


def sign_up(person: Person, event_id: str, key: str | None = None) -> Any:
    return person.post(f"{EVENTS}/{event_id}/signups", json={"id": str(uuid.uuid4())}, key=key)
