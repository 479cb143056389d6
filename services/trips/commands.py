"""助盲出行: ask for a guide, volunteer, and follow a trip; no flet.

Every action is checked, then queued in the outbox (``services.trips.kinds``) and shown at
once through the overlay, online or not; the sender delivers it in order. A refusal from the
server (``409 trip_taken`` for a claim another volunteer won, say) takes the action out of the
queue and so out of the view, and comes back through ``Outbox.take_rejections``.

The checks before queueing raise ``InputError(field, code, **params)`` (see
``services.validation`` and ``services.trips.time`` for the codes of each field), and for an
action on a trip, as the view shows it: ``trip_unknown`` (not in the view),
``illegal_transition`` (not possible in the state shown, or not the person's to take),
``already_rated`` and ``volunteer_exists``; a guide to an event (``TripDraft.event_id``) without a
sign-up for it shown: ``InputError("event", "not_signed_up")``. The screens offer only what fits, so these guard
against a double tap or a stale screen; the server decides in the end.

The helpers at the end are pure functions over the view's lists, for the screens.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from services.clock import SHANGHAI, utc_iso, utc_now
from services.errors import InputError
from services.events.kinds import signup_for
from services.events.states import HOLDING
from services.personal import PersonalData, PersonalView
from services.rows import find
from services.trips.kinds import (
    NOTIFICATIONS_READ,
    TRIP_CANCEL,
    TRIP_CLAIM,
    TRIP_COMPLETE,
    TRIP_RATE,
    TRIP_RELEASE,
    TRIP_REQUEST,
    TRIP_START,
    VOLUNTEER_REGISTER,
)
from services.trips.time import parse_instant, start_at
from services.validation import (
    clean_places,
    clean_rating,
    clean_trip_details,
    clean_volunteer_fields,
)

RESIDENT, VOLUNTEER = "resident", "volunteer"  # my_role on a trip


@dataclass(frozen=True)
class TripDraft:
    """A trip request as typed: the time as text on a chosen day, in Shanghai time."""

    from_place: str
    to_place: str
    day: date
    time_text: str
    district: str
    needs: list[str]
    contact_phone: str
    notes: str = ""
    event_id: str | None = None  # a guide to a community event the person signed up for


@dataclass(frozen=True)
class VolunteerForm:
    real_name: str
    id_number: str
    phone: str
    skills: list[str] = field(default_factory=list)
    districts: list[str] = field(default_factory=list)
    availability: list[str] = field(default_factory=list)


# Who may take each step, and from which states (as the server's state machine has it).
_STEPS: dict[str, tuple[str, tuple[str, ...]]] = {
    TRIP_CANCEL: (RESIDENT, ("open", "claimed")),
    TRIP_START: (VOLUNTEER, ("claimed",)),
    TRIP_COMPLETE: (VOLUNTEER, ("in_progress",)),
    TRIP_RELEASE: (VOLUNTEER, ("claimed",)),
}


class TripCommands:
    """The person's trip actions; each returns the outbox action's id (a request: the trip's)."""

    def __init__(self, personal: PersonalData, now: Callable[[], datetime] = utc_now) -> None:
        self.personal = personal
        self.now = now

    # -- as a resident -----------------------------------------------------------------------

    def request_trip(self, draft: TripDraft) -> str:
        """Queue ``POST /trips``; returns the new trip's id (a client UUID), shown at once."""
        now = self.now()
        from_place, to_place = clean_places(draft.from_place, draft.to_place)
        start = start_at(draft.day, draft.time_text, now)
        details = clean_trip_details(
            district=draft.district,
            needs=draft.needs,
            contact_phone=draft.contact_phone,
            notes=draft.notes,
        )
        trip_id = str(uuid.uuid4())
        trip = {
            "id": trip_id,
            "from_place": from_place,
            "to_place": to_place,
            "start_at": start.isoformat(),
            **details,
        }
        if draft.event_id is not None:
            # The server links the trip to the person's sign-up; if the escort fails, the
            # absence is excused. Only with a sign-up holding or waiting for a place.
            signup = signup_for(self.personal.loaded_view().signups, draft.event_id)
            if signup is None or signup["state"] not in HOLDING:
                raise InputError("event", "not_signed_up")
            trip["event_id"] = draft.event_id
        self.personal.act(TRIP_REQUEST, {"trip": trip, "requested_at": utc_iso(now)})
        return trip_id

    def cancel_trip(self, trip_id: str) -> str:
        return self._step(TRIP_CANCEL, trip_id)

    def rate_trip(self, trip_id: str, stars: int, comment: str | None = None) -> str:
        """Rate the other person on a completed trip (the volunteer, or the one guided)."""
        rating = clean_rating(stars, comment)
        trip = self._mine(self.personal.loaded_view(), trip_id)
        if trip["state"] != "completed":
            raise InputError("trip", "illegal_transition")
        if trip.get("my_rating") is not None:
            raise InputError("trip", "already_rated")
        return self.personal.act(TRIP_RATE, {"trip_id": trip_id, **rating})

    # -- as a volunteer ----------------------------------------------------------------------

    def claim_trip(self, trip_id: str) -> str:
        view = self.personal.loaded_view()
        trip = find(view.open_trips, trip_id)
        if trip is None:
            mine = find(view.trips, trip_id)
            if mine is None:
                raise InputError("trip", "trip_unknown")
            if mine.get("my_role") != VOLUNTEER:
                raise InputError("trip", "illegal_transition")  # my own request, or not open
            trip = mine  # mine already: the server answers 200 to a repeated claim
        return self.personal.act(TRIP_CLAIM, {"trip_id": trip_id, "trip": _unmarked(trip)})

    def start_trip(self, trip_id: str) -> str:
        return self._step(TRIP_START, trip_id)

    def complete_trip(self, trip_id: str) -> str:
        return self._step(TRIP_COMPLETE, trip_id)

    def release_trip(self, trip_id: str) -> str:
        return self._step(TRIP_RELEASE, trip_id)

    def register_volunteer(self, form: VolunteerForm) -> str:
        cleaned = clean_volunteer_fields(
            real_name=form.real_name,
            id_number=form.id_number,
            phone=form.phone,
            skills=form.skills,
            districts=form.districts,
            availability=form.availability,
            today=self.now().astimezone(SHANGHAI).date(),
        )
        if self.personal.loaded_view().volunteer is not None:
            raise InputError("volunteer", "volunteer_exists")
        payload = {"form": cleaned, "requested_at": utc_iso(self.now())}
        return self.personal.act(VOLUNTEER_REGISTER, payload)

    # -- notifications -----------------------------------------------------------------------

    def mark_notifications_read(self, up_to_id: int) -> str:
        """Mark every notification with an id up to ``up_to_id`` read; shown at once."""
        if isinstance(up_to_id, bool) or not isinstance(up_to_id, int) or up_to_id < 1:
            raise ValueError(f"not a notification id: {up_to_id!r}")
        payload = {"up_to_id": up_to_id, "read_at": utc_iso(self.now())}
        return self.personal.act(NOTIFICATIONS_READ, payload)

    # -- checks against what the person sees -----------------------------------------------

    @staticmethod
    def _mine(view: PersonalView, trip_id: str) -> dict[str, Any]:
        trip = find(view.trips, trip_id)
        if trip is None:
            raise InputError("trip", "trip_unknown")
        return trip

    def _step(self, kind: str, trip_id: str) -> str:
        trip = self._mine(self.personal.loaded_view(), trip_id)
        role, states = _STEPS[kind]
        if trip.get("my_role") != role or trip["state"] not in states:
            raise InputError("trip", "illegal_transition")
        return self.personal.act(kind, {"trip_id": trip_id})


def _unmarked(trip: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in trip.items() if k != "sending"}


# -- for the screens: pure functions over the view's lists ----------------------------------


def my_requests(trips: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Trips the person asked for, in the view's order (newest start first)."""
    return [t for t in trips if t.get("my_role") == RESIDENT]


def my_volunteering(trips: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Trips the person guides (or guided), in the view's order."""
    return [t for t in trips if t.get("my_role") == VOLUNTEER]


def recent_places(trips: Iterable[dict[str, Any]], limit: int = 5) -> list[str]:
    """Distinct places of the person's own requests, most recently requested first.

    For a new request's suggestions: each request gives its start, then its destination.
    """
    requests = sorted(
        my_requests(trips),
        key=lambda t: parse_instant(t.get("created_at") or t["start_at"]),
        reverse=True,
    )
    places: dict[str, None] = {}
    for trip in requests:
        for place in (trip["from_place"], trip["to_place"]):
            places.setdefault(place, None)
    return list(places)[:limit]


def filter_open_trips(
    open_trips: Iterable[dict[str, Any]],
    *,
    districts: set[str] | None,
    within_days: int | None,
    skills: set[str] | None,
    now: datetime,
) -> list[dict[str, Any]]:
    """Open trips that fit a volunteer's choices; None means any. Order is kept.

    ``within_days``: starting no later than that many days from ``now``; ``skills``: every need
    of the trip among them. A trip whose start has passed is never offered (a list shown
    offline can be old).
    """
    latest = None if within_days is None else now + timedelta(days=within_days)
    chosen = []
    for trip in open_trips:
        start = parse_instant(trip["start_at"])
        if start <= now or (latest is not None and start > latest):
            continue
        if districts is not None and trip["district"] not in districts:
            continue
        if skills is not None and not set(trip["needs"]) <= skills:
            continue
        chosen.append(trip)
    return chosen


def unread_notifications(notifications: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [n for n in notifications if n.get("read_at") is None]
