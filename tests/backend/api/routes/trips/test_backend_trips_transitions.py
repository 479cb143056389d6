"""Every action, by every kind of person, on a trip in every state: the whole state machine.

The expectations are written out by hand from the contract (not derived from the server's
table), one row per (state, person): 7 states x 4 people x 6 actions.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from route_support import DEV_CODE, RecordingSms, auth, problem_code, register_volunteer
from trips_support import SECOND_VOLUNTEER_PHONE, STRANGER_PHONE, act, ask, done, get_trip

from backend.core.clock import FakeClock
from backend.core.config import Settings
from backend.demo_users import RESIDENT_PHONE, VOLUNTEER_PHONE
from backend.main import create_app
from tests.databases import ENGINES, new_database_url

ACTIONS = ("claim", "cancel", "start", "complete", "release", "rate")
STATES = (
    "open",
    "claimed",
    "in_progress",
    "completed",
    "cancelled_open",  # cancelled before anyone claimed it
    "cancelled_claimed",  # cancelled while a volunteer held it
    "expired",
)

# "200 <state after>" or "<status> <code>".
NOT_VERIFIED = "403 volunteer_not_verified"
FORBIDDEN = "403 forbidden"
ILLEGAL = "409 illegal_transition"
HIDDEN = "404 not_found"

EXPECTED: dict[tuple[str, str], tuple[str, ...]] = {
    # (state, who):         claim, cancel, start, complete, release, rate
    ("open", "resident"): (NOT_VERIFIED, "200 cancelled", FORBIDDEN, FORBIDDEN, FORBIDDEN, ILLEGAL),
    ("claimed", "resident"): (NOT_VERIFIED, "200 cancelled", FORBIDDEN, FORBIDDEN, FORBIDDEN, ILLEGAL),
    ("in_progress", "resident"): (NOT_VERIFIED, ILLEGAL, FORBIDDEN, FORBIDDEN, FORBIDDEN, ILLEGAL),
    ("completed", "resident"): (NOT_VERIFIED, ILLEGAL, FORBIDDEN, FORBIDDEN, FORBIDDEN, "200 completed"),
    ("cancelled_open", "resident"): (NOT_VERIFIED, "200 cancelled", FORBIDDEN, FORBIDDEN, FORBIDDEN, ILLEGAL),
    ("cancelled_claimed", "resident"): (NOT_VERIFIED, "200 cancelled", FORBIDDEN, FORBIDDEN, FORBIDDEN, ILLEGAL),
    ("expired", "resident"): (NOT_VERIFIED, ILLEGAL, FORBIDDEN, FORBIDDEN, FORBIDDEN, ILLEGAL),
    # The volunteer who claims (or claimed) it.
    ("open", "volunteer"): ("200 claimed", FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    ("claimed", "volunteer"): ("200 claimed", FORBIDDEN, "200 in_progress", ILLEGAL, "200 open", ILLEGAL),
    ("in_progress", "volunteer"): ("200 in_progress", FORBIDDEN, "200 in_progress", "200 completed", ILLEGAL, ILLEGAL),
    ("completed", "volunteer"): ("200 completed", FORBIDDEN, "200 completed", "200 completed", ILLEGAL, "200 completed"),
    ("cancelled_open", "volunteer"): ("409 trip_cancelled", HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
    ("cancelled_claimed", "volunteer"): ("409 trip_cancelled", FORBIDDEN, ILLEGAL, ILLEGAL, ILLEGAL, ILLEGAL),
    ("expired", "volunteer"): ("409 trip_expired", HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
    # Another verified volunteer, never on this trip.
    ("open", "other"): ("200 claimed", FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    ("claimed", "other"): ("409 trip_taken", HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
    ("in_progress", "other"): ("409 trip_taken", HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
    ("completed", "other"): ("409 trip_taken", HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
    ("cancelled_open", "other"): ("409 trip_cancelled", HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
    ("cancelled_claimed", "other"): ("409 trip_cancelled", HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
    ("expired", "other"): ("409 trip_expired", HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
    # A signed-in resident who is no volunteer and not on the trip.
    **{(state, "stranger"): (NOT_VERIFIED, *[HIDDEN] * 5) for state in STATES},
}  # fmt: skip

CASES = [
    pytest.param(state, who, action, EXPECTED[state, who][i], id=f"{state}-{who}-{action}")
    for (state, who) in EXPECTED
    for i, action in enumerate(ACTIONS)
]


class World:
    """One app for the whole table (each case asks for a trip of its own): a fresh app per case
    would triple the time. People sign in again whenever the clock has jumped past their token."""

    def __init__(self, data_dir: Path, db_url: str) -> None:
        seed_dir = data_dir / "seed"
        seed_dir.mkdir()  # no catalogue: the demo users are what these tests need
        self.app = create_app(Settings(db_url=db_url, seed_dir=seed_dir, dev_login_code=DEV_CODE))
        self.clock = self.app.state.clock = FakeClock()
        self.app.state.sms = RecordingSms(self.app.state.session_factory)
        self.client = TestClient(self.app)
        register_volunteer(self.client, SECOND_VOLUNTEER_PHONE)
        self.people: dict[str, dict[str, str]] = {}
        self.sign_in()

    def sign_in(self) -> None:
        phones = {
            "resident": RESIDENT_PHONE,
            "volunteer": VOLUNTEER_PHONE,
            "other": SECOND_VOLUNTEER_PHONE,
            "stranger": STRANGER_PHONE,
        }
        self.people = {who: auth(self.client, phone) for who, phone in phones.items()}

    def trip_in(self, state: str) -> str:
        """A new trip (starting in 2 h, needing a sighted guide) brought into ``state``."""
        client, people = self.client, self.people
        trip_id = ask(client, people["resident"], self.clock)["id"]
        steps = {
            "claimed": ["claim"],
            "in_progress": ["claim", "start"],
            "completed": ["claim", "start", "complete"],
            "cancelled_claimed": ["claim"],
        }.get(state, [])
        for step in steps:
            done(client, people["volunteer"], trip_id, step)
        if state.startswith("cancelled"):
            done(client, people["resident"], trip_id, "cancel")
        if state == "expired":
            self.clock.advance(hours=2)  # its start time, and nobody claimed it
            self.sign_in()
        seen = get_trip(client, self.people["resident"], trip_id).json()
        assert seen["state"] == state.removesuffix("_open").removesuffix("_claimed"), seen
        return trip_id


@pytest.fixture(scope="module", params=ENGINES)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    data_dir = tmp_path_factory.mktemp("trip-table")
    world = World(data_dir, new_database_url(request, request.param, data_dir))
    yield world
    world.app.state.engine.dispose()


def test_the_table_covers_every_state_person_and_action():
    assert len(CASES) == len(STATES) * 4 * len(ACTIONS) == 168
    assert {(c.values[0], c.values[1], c.values[2]) for c in CASES} == {
        (s, w, a)
        for s in STATES
        for w in ("resident", "volunteer", "other", "stranger")
        for a in ACTIONS
    }


@pytest.mark.parametrize(("state", "who", "action", "expected"), CASES)
def test_action_by_person_on_trip_in_state(
    world: World,
    state: str,
    who: str,
    action: str,
    expected: str,
):
    client, trip_id = world.client, world.trip_in(state)
    people = world.people
    before = get_trip(client, people["resident"], trip_id).json()
    body: dict[str, Any] | None = {"stars": 4} if action == "rate" else None

    response = act(client, people[who], trip_id, action, json=body)

    status, outcome = expected.split(" ")
    after = get_trip(client, people["resident"], trip_id).json()
    assert response.status_code == int(status), response.text
    if status == "200":
        assert response.json()["state"] == outcome == after["state"]
        if outcome == before["state"] and action != "rate":  # a repeat: answered as it is
            assert after["version"] == before["version"]
        else:
            assert action == "rate" or after["version"] > before["version"]
    else:
        assert problem_code(response) == outcome
        assert after == before, "a refused action changes nothing"
