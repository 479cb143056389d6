"""Demo events from ``assets/seed/events.json``, with times relative to the seeding moment.

Seeded once: when the ``events`` table is empty and the ``event`` kind was never seeded, through
the same ``create_event`` staff use (so each is published into the catalogue without its code).
An item says when it starts either ``starts_in_hours`` from now (rounded up to a quarter hour)
or ``starts_in_days`` at a Shanghai wall-clock time ``at`` ("14:00"); it lasts ``hours``;
sign-up and cancellation close ``signup_closes_hours_before`` / ``cancel_closes_hours_before``
the start, but never before the seeding moment.
"""

import logging
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from backend import crud as catalogue
from backend.core.problems import ProblemError
from backend.events.models import Event
from backend.events.publish import create_event
from backend.events.wire import EventCreate
from backend.models import CatalogKind
from backend.notify.notifications import SHANGHAI
from backend.seed import SeedError, begin_write, load_seed_file

logger = logging.getLogger(__name__)

SEED_FILE = "events.json"
QUARTER = timedelta(minutes=15)
_TIMING = (
    "starts_in_hours",
    "starts_in_days",
    "at",
    "hours",
    "signup_closes_hours_before",
    "cancel_closes_hours_before",
    "example_data",
)


def _round_up(moment: datetime, step: timedelta) -> datetime:
    epoch = datetime(2000, 1, 1, tzinfo=moment.tzinfo)
    steps = -((epoch - moment) // step)  # ceiling division
    return epoch + steps * step


def start_of(item: dict[str, Any], now: datetime) -> datetime:
    if "starts_in_hours" in item:
        return _round_up(now + timedelta(hours=float(item["starts_in_hours"])), QUARTER)
    day = now.astimezone(SHANGHAI).date() + timedelta(days=int(item["starts_in_days"]))
    local = datetime.combine(day, time.fromisoformat(item["at"]), tzinfo=SHANGHAI)
    return local.astimezone(now.tzinfo)


def event_body(item: dict[str, Any], now: datetime) -> EventCreate:
    """The EventCreate an item of the seed file stands for at ``now``."""
    start = start_of(item, now)

    def closes(field: str) -> datetime:
        return min(start, max(now, start - timedelta(hours=float(item.get(field, 0)))))

    fields = {k: v for k, v in item.items() if k not in _TIMING}
    return EventCreate(
        **fields,
        start_at=start,
        end_at=start + timedelta(hours=float(item["hours"])),
        signup_deadline=closes("signup_closes_hours_before"),
        cancel_deadline=closes("cancel_closes_hours_before"),
    )


def seed_events(session: Session, seed_dir: Path, now: datetime) -> int:
    """Seed the demo events unless events exist or were ever seeded; returns how many."""
    path = seed_dir / SEED_FILE
    if not path.is_file():
        logger.info("seed file %s not found; no events seeded", path)
        return 0
    items = load_seed_file(path)
    begin_write(session)
    catalogue.lock_feed(session)  # a second process starting now waits here, then sees ours
    has_events = session.scalars(select(Event.id).limit(1)).first() is not None
    if has_events or catalogue.kind_has_history(session, CatalogKind.EVENT):
        catalogue.mark_seeded(session, CatalogKind.EVENT)
        session.commit()
        return 0
    for item in items:
        try:
            body = event_body(item, now)
            create_event(session, body, created_by=None, now=now, example_data=True)
        except (KeyError, TypeError, ValueError, ValidationError, ProblemError) as exc:
            session.rollback()
            raise SeedError(f"{path}: event {item['id']!r}: {exc}") from exc
    catalogue.mark_seeded(session, CatalogKind.EVENT)
    session.commit()
    logger.info("seeded %d events from %s", len(items), seed_dir)
    return len(items)
