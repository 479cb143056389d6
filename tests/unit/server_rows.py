"""Rows as the server sends them, for the unit tests of kinds, commands and views: a trip
(GET /trips/mine), a sign-up (GET /me/signups) and an attendee at the door (GET
/events/{id}/attendees)."""

from __future__ import annotations

from typing import Any


def trip_row(trip_id: str, state: str, my_role: str | None, **fields: Any) -> dict[str, Any]:
    """A trip from 家 to 医院 in Huangpu on 23 November, 14:00 in Shanghai."""
    return {
        "id": trip_id,
        "state": state,
        "my_role": my_role,
        "from_place": "家",
        "to_place": "医院",
        "start_at": "2026-11-23T06:00:00+00:00",
        "district": "310101",
        "needs": ["sighted_guide"],
        **fields,
    }


def signup_row(
    event_id: str,
    state: str,
    *,
    title: str,
    start_at: str,
    end_at: str,
    queue_place: int,
    **fields: Any,
) -> dict[str, Any]:
    """My sign-up for ``event_id``; ``queue_place`` is its waitlist position if waitlisted."""
    return {
        "id": f"su-{event_id}",
        "event_id": event_id,
        "event_title": title,
        "start_at": start_at,
        "end_at": end_at,
        "state": state,
        "waitlist_position": queue_place if state == "waitlisted" else None,
        "personal_code": "482913",
        "checked_in_at": None,
        "attendance": None,
        "excuse": None,
        "appeal": None,
        "guide_trip_id": None,
        "version": 1,
        **fields,
    }


def attendee_row(
    signup_id: str, name: str, phone_tail: str, code: str, **fields: Any
) -> dict[str, Any]:
    """One confirmed attendee on the door list, not checked in yet."""
    return {
        "signup_id": signup_id,
        "name": name,
        "phone_tail": phone_tail,
        "personal_code": code,
        "state": "confirmed",
        "waitlist_position": None,
        "checked_in_at": None,
        "attendance": None,
        "excuse_reason": None,
        "version": 1,
        **fields,
    }
