"""Open trips nobody claimed by their start time expire, and the requester is told (with SMS);
a trip to an event excuses the requester's absence from it (``backend.events.escort``).

Lazily: ``expire_due_trips`` runs at the start of every trips, volunteers and notifications request (see
``backend.api.housekeeping``), so no timer thread is needed and a stopped server loses nothing.
It only reads unless a trip is due, so GET requests do not queue for the write lock.
"""

from datetime import datetime

from sqlalchemy.orm import Session

from backend.events.escort import escort_failed
from backend.notify.models import NotificationKind
from backend.notify.notifications import notify_trip
from backend.trips import crud
from backend.trips.models import Trip


def notify_expired(session: Session, trip: Trip, now: datetime) -> None:
    notify_trip(
        session,
        trip.requester_id,
        NotificationKind.TRIP_EXPIRED,
        trip,
        now,
        sms_phone=trip.contact_phone,
    )


def expire_due_trips(session: Session, now: datetime) -> int:
    """Expire the due trips in the caller's (write) transaction; returns how many."""
    expired = crud.expire_due(session, now)
    for trip_id in expired:
        trip = crud.get_trip(session, trip_id)
        assert trip is not None  # just updated in this transaction
        notify_expired(session, trip, now)
        escort_failed(session, trip, now)  # nobody to take them: their absence is excused
    return len(expired)
