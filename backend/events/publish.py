"""An event's public projection, and publishing it into the catalogue (kind ``event``).

The catalogue item is what clients read offline; it carries live counts, so every change of
counts (sign-up, cancel, promotion) re-publishes it in the same transaction: the item's ``seq``
moves and the next delta sync brings the new places-left. The event code is never in it.
"""

import json
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend import crud as catalogue
from backend.core.problems import ProblemError
from backend.events import crud
from backend.events.codes import new_event_code
from backend.events.models import Event
from backend.events.wire import Counts, EventCreate, EventPublic
from backend.models import CatalogKind, User
from backend.staff import require_district


def projection(event: Event, counts: Counts) -> EventPublic:
    return EventPublic(
        id=event.id,
        title=event.title,
        summary=event.summary,
        institution_id=event.institution_id,
        room=event.room,
        district=event.district,
        start_at=event.start_at,
        end_at=event.end_at,
        capacity=event.capacity,
        signup_deadline=event.signup_deadline,
        cancel_deadline=event.cancel_deadline,
        provides=list(event.provides),
        confirmed=counts.confirmed,
        waitlisted=counts.waitlisted,
        places_left=max(0, event.capacity - counts.confirmed),
        example_data=event.example_data,
    )


def public(session: Session, event: Event) -> EventPublic:
    return projection(event, crud.counts(session, event.id))


def publish(session: Session, event: Event, counts: Counts | None = None) -> EventPublic:
    """Store the event's projection as its catalogue item (a new seq only if it changed).
    ``counts``: the event's counts with this transaction's changes, when the caller knows them
    (a sign-up does); counted again otherwise."""
    if counts is None:
        session.flush()  # the counts below must see this transaction's sign-up changes
        counts = crud.counts(session, event.id)
    shown = projection(event, counts)
    catalogue.upsert_item(session, CatalogKind.EVENT, event.id, shown.model_dump(mode="json"))
    return shown


def _invalid(detail: str) -> ProblemError:
    return ProblemError(422, "validation_error", "Request is not valid", detail)


def venue(session: Session, institution_id: str) -> dict[str, Any]:
    """The catalogue institution's data; ``422 validation_error`` if there is none."""
    item = catalogue.get_item(session, CatalogKind.INSTITUTION, institution_id)
    if item is None or item.deleted or item.data is None:
        raise _invalid(f"institution_id: no institution {institution_id!r} in the catalogue")
    return json.loads(item.data)


def create_event(
    session: Session,
    body: EventCreate,
    *,
    created_by: User | None,
    now: datetime,
    example_data: bool = False,
) -> Event:
    """A new event at a catalogue institution, published; ``409 event_exists`` if the id is used.
    Staff (``created_by``) create events only in their districts; the seed has no creator."""
    place = venue(session, body.institution_id)
    district = body.district or place.get("district")
    if not isinstance(district, str) or not district:
        raise _invalid("district: the venue has no district; give one")
    if created_by is not None:
        require_district(created_by, district)
    event_id = body.id or str(uuid.uuid4())
    if crud.get_event(session, event_id) is not None:
        raise _exists()
    event = Event(
        id=event_id,
        title=body.title,
        summary=body.summary,
        institution_id=body.institution_id,
        room=body.room,
        district=district,
        start_at=body.start_at,
        end_at=body.end_at,
        capacity=body.capacity,
        signup_deadline=body.signup_deadline or body.start_at,
        cancel_deadline=body.cancel_deadline or body.start_at,
        provides=list(body.provides),
        event_code=new_event_code(),
        created_by=created_by.id if created_by is not None else None,
        created_at=now,
        updated_at=now,
        marked_at=None,
        example_data=example_data,
    )
    session.add(event)
    try:
        session.flush()
    except IntegrityError:  # the same id inserted concurrently (PostgreSQL)
        raise _exists() from None
    publish(session, event)
    return event


def _exists() -> ProblemError:
    return ProblemError(
        409, "event_exists", "Event exists", "An event with this id exists; make a new id."
    )
