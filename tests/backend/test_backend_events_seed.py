"""Demo events: seeded once from assets/seed/events.json with times relative to the seeding
moment, through the same publishing staff use (no code in the catalogue)."""

import json
import shutil
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import delete, select

from backend import crud
from backend.core.config import DEFAULT_SEED_DIR, Settings
from backend.events.checkin import OPENS_BEFORE_START
from backend.events.models import Event
from backend.events.seed import seed_events
from backend.models import CatalogItem, CatalogKind
from backend.notify.notifications import SHANGHAI
from backend.seed import SeedError, load_seed_file

NOW = datetime(2025, 3, 3, 1, 10, tzinfo=UTC)  # 09:10 in Shanghai
SEED_EVENTS = load_seed_file(DEFAULT_SEED_DIR / "events.json")


def real_seed(tmp_path: Path) -> Path:
    """The repo's institutions and events (enough to seed events)."""
    seed = tmp_path / "real-seed"
    seed.mkdir()
    for name in ("institutions.json", "events.json"):
        shutil.copy(DEFAULT_SEED_DIR / name, seed / name)
    return seed


@pytest.fixture
def seeded(make_app: Callable[..., FastAPI], tmp_path: Path) -> FastAPI:
    """An app on the real institutions, its demo events seeded at NOW."""
    app = make_app(Settings(db_url=f"sqlite:///{tmp_path / 'b.sqlite3'}", seed_dir=None))
    with app.state.session_factory() as session:
        for item in load_seed_file(DEFAULT_SEED_DIR / "institutions.json"):
            crud.upsert_item(session, CatalogKind.INSTITUTION, item["id"], item)
        session.commit()
        assert seed_events(session, DEFAULT_SEED_DIR, NOW) == len(SEED_EVENTS)
    return app


def events_of(app: FastAPI) -> dict[str, Event]:
    with app.state.session_factory() as session:
        return {e.id: e for e in session.scalars(select(Event))}


def catalogue_events(app: FastAPI) -> dict[str, dict[str, Any]]:
    with app.state.session_factory() as session:
        rows = session.scalars(select(CatalogItem).where(CatalogItem.kind == "event"))
        return {r.id: json.loads(r.data or "null") for r in rows}


def test_the_seed_file_has_five_or_six_demo_events_at_real_venues():
    venues = {i["id"] for i in load_seed_file(DEFAULT_SEED_DIR / "institutions.json")}

    assert 5 <= len(SEED_EVENTS) <= 6
    assert all(e["example_data"] is True for e in SEED_EVENTS)
    assert {e["institution_id"] for e in SEED_EVENTS} <= venues


def test_every_demo_event_is_published_without_its_code(seeded: FastAPI):
    published = catalogue_events(seeded)

    assert set(published) == {e["id"] for e in SEED_EVENTS}
    for data in published.values():
        assert "event_code" not in data
        assert data["example_data"] is True
        assert data["confirmed"] == data["waitlisted"] == 0
        assert data["places_left"] == data["capacity"]


def test_the_door_demo_is_open_for_check_in_at_once(seeded: FastAPI):
    demo = events_of(seeded)["evt-door-demo"]

    assert NOW + timedelta(minutes=45) <= demo.start_at < NOW + timedelta(hours=1)
    assert demo.start_at - OPENS_BEFORE_START <= NOW, "the check-in window is open"
    assert demo.signup_deadline >= NOW and demo.cancel_deadline >= NOW
    assert demo.start_at.minute % 15 == 0 and demo.start_at.second == 0
    assert demo.start_at.astimezone(SHANGHAI).date() == NOW.astimezone(SHANGHAI).date()


def test_the_wait_list_demo_is_tomorrow_with_two_places(seeded: FastAPI):
    demo = events_of(seeded)["evt-waitlist-demo"]

    local = demo.start_at.astimezone(SHANGHAI)
    assert (local.date(), local.hour, local.minute) == (
        NOW.astimezone(SHANGHAI).date() + timedelta(days=1),
        14,
        0,
    )
    assert demo.capacity == 2


def test_times_are_relative_to_seeding_and_no_deadline_is_before_it(seeded: FastAPI):
    for event in events_of(seeded).values():
        assert NOW < event.start_at <= NOW + timedelta(days=14)
        assert event.end_at > event.start_at
        assert NOW <= event.signup_deadline <= event.start_at
        assert NOW <= event.cancel_deadline <= event.start_at
        assert len(event.event_code) == 4


def test_the_app_seeds_them_once_on_first_start(make_app: Callable[..., FastAPI], tmp_path: Path):
    settings = Settings(
        db_url=f"sqlite:///{tmp_path / 'app.sqlite3'}", seed_dir=real_seed(tmp_path)
    )
    first = make_app(settings)
    before = catalogue_events(first)

    again = make_app(settings)

    assert len(before) == len(SEED_EVENTS)
    assert catalogue_events(again) == before
    assert len(events_of(again)) == len(SEED_EVENTS)


def test_events_deleted_later_are_not_seeded_again(
    make_app: Callable[..., FastAPI], tmp_path: Path
):
    settings = Settings(
        db_url=f"sqlite:///{tmp_path / 'app.sqlite3'}", seed_dir=real_seed(tmp_path)
    )
    app = make_app(settings)
    with app.state.session_factory() as session:
        session.execute(delete(Event))
        session.commit()

    restarted = make_app(settings)

    assert events_of(restarted) == {}


def test_no_events_file_seeds_nothing(app: FastAPI):
    assert events_of(app) == {} and catalogue_events(app) == {}


def test_an_event_at_an_unknown_venue_stops_seeding(
    make_app: Callable[..., FastAPI], tmp_path: Path
):
    seed = tmp_path / "broken"
    seed.mkdir()
    (seed / "events.json").write_text(
        json.dumps([{**SEED_EVENTS[0], "institution_id": "inst-nowhere"}]), encoding="utf-8"
    )

    with pytest.raises(SeedError, match="inst-nowhere"):
        make_app(Settings(db_url=f"sqlite:///{tmp_path / 'b.sqlite3'}", seed_dir=seed))
