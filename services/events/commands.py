"""Community events (阳光201): sign up, cancel, excuse, check in, the door, appeals; no flet.

Every action is checked, then queued in the outbox (``services.events.kinds``) and shown at
once through the overlay, online or not; the sender delivers it in order. A door check-in made
with no reception is sent later with the time the staff acted, and the server keeps that time.

The checks before queueing raise ``InputError(field, code, **params)`` with the codes the server
would answer with, so one sentence table serves both; they go by what the person sees (the
catalogue's deadlines by the device's clock, the sign-up as shown, the door list):

* ``event``: ``not_found`` (not in the catalogue, or not on today's door list),
  ``signup_closed``, ``cancel_closed``, ``excuse_closed``, ``not_signed_up``,
  ``signup_waitlisted``, ``signup_cancelled``, ``checkin_not_open``, ``checkin_closed``;
* ``attendee`` (a row at the door): ``not_signed_up``, ``signup_waitlisted``;
* ``code``: ``code_empty``, ``code_wrong`` (not four digits for the event's code; not six digits,
  nor this event's QR payload, for a personal code), ``code_unknown`` (a well-formed personal
  code that is on nobody's row of the door list: the only code the server never sends);
* ``signup`` (an appeal): ``not_found``, ``not_no_show``, ``appeal_exists``;
* ``note``: ``note_too_long``; ``text``: ``appeal_text_empty``, ``appeal_text_too_long`` (``limit=``).

The screens offer only what fits, so most of these guard against a double tap or a stale
screen; the server decides in the end. The helpers at the end are pure functions for the screens.
"""

from __future__ import annotations

import io
import math
import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

import segno

from services.catalog import Catalog, Event
from services.clock import utc_iso, utc_now
from services.errors import InputError
from services.events.kinds import (
    ATTENDANCE_APPEAL,
    DOOR_CHECKIN,
    DOOR_UNDO,
    EVENT_CANCEL,
    EVENT_CHECKIN,
    EVENT_EXCUSE,
    EVENT_SIGNUP,
    signup_for,
)
from services.events.states import HOLDING, checkin_window, instant_of
from services.personal import PersonalData, PersonalView
from services.search.matcher import FUZZY, TypedQuery, match_text
from services.search.normalize import normalize
from services.search.readings import readings_of
from services.trips.time import parse_instant
from services.validation import (
    PERSONAL_CODE_LENGTH,
    clean_appeal,
    clean_excuse,
    digits_only,
    normalise_event_code,
)

QR_PREFIX = "sunshine-checkin"
QR_MIN_PIXELS = 200  # the PNG's side at least: readable by a phone camera held at arm's length
QR_BORDER = 4  # the quiet zone the QR standard asks for, in modules
UNDO_AFTER_END = timedelta(hours=24)  # as long as the server takes late door check-ins


class EventCommands:
    """The person's event actions, and staff's at the door; each returns the outbox action's id
    (a sign-up: the sign-up's id)."""

    def __init__(
        self,
        personal: PersonalData,
        catalog: Catalog,
        now: Callable[[], datetime] = utc_now,
    ) -> None:
        self.personal = personal
        self.catalog = catalog
        self.now = now

    # -- as an attendee ----------------------------------------------------------------------

    def sign_up(self, event_id: str) -> str:
        """Queue ``POST /events/{id}/signups``; shown at once as ``state: "sending"``.

        Already holding a sign-up (confirmed, waitlisted or being sent): its id, nothing queued
        (the server would answer with that one).
        """
        view = self.personal.loaded_view()
        event = self._event(event_id)
        now = self.now()
        if now > event.signup_deadline or now >= event.start_at:
            raise InputError("event", "signup_closed")
        held = signup_for(view.signups, event_id)
        if held is not None and held["state"] in HOLDING:
            return str(held["id"])
        signup_id = str(uuid.uuid4())
        payload = {
            "event_id": event_id,
            "signup_id": signup_id,
            "event_title": event.title,
            "start_at": utc_iso(event.start_at),
            "end_at": utc_iso(event.end_at),
            "requested_at": utc_iso(now),
        }
        self.personal.act(EVENT_SIGNUP, payload)
        return signup_id

    def cancel(self, event_id: str) -> str:
        """Give the place back (a confirmed one until the cancel deadline; a waitlisted one
        until the start); the first on the wait-list gets it."""
        signup = self._active_signup(self.personal.loaded_view(), event_id)
        now = self.now()
        event = self.catalog.event(event_id)
        start = parse_instant(signup["start_at"])
        if signup["state"] == "waitlisted":
            closes = start
        else:  # confirmed, or still being sent: the stricter deadline
            closes = event.cancel_deadline if event is not None else start
        if now > closes or now >= start or signup.get("checked_in_at") is not None:
            raise InputError("event", "cancel_closed")  # the sentence suggests an excuse
        return self.personal.act(EVENT_CANCEL, {"event_id": event_id})

    def excuse(self, event_id: str, reason: str, note: str | None = None) -> str:
        """Say why one cannot come (health, weather, other), until the event ends; a later
        excuse replaces an earlier one. After the end, the way is an appeal."""
        cleaned = clean_excuse(reason, note)
        signup = self._active_signup(self.personal.loaded_view(), event_id)
        now = self.now()
        if now >= parse_instant(signup["end_at"]):
            raise InputError("event", "excuse_closed")
        payload = {"event_id": event_id, **cleaned, "at": utc_iso(now)}
        return self.personal.act(EVENT_EXCUSE, payload)

    def check_in(self, event_id: str, code: str) -> str:
        """Check oneself in with the event's 4-digit code (read out or shown at the door).

        In the server's order: the window, the code, then the sign-up (nothing typed at all
        is said first).
        """
        if not code.strip():
            raise InputError("code", "code_empty")
        view = self.personal.loaded_view()
        signup = signup_for(view.signups, event_id)
        now = self.now()
        _check_window(signup or self._event(event_id), now)
        typed = normalise_event_code(code)
        signup = self._active_signup(view, event_id)
        if signup["state"] == "waitlisted":
            raise InputError("event", "signup_waitlisted")
        payload = {"event_id": event_id, "code": typed, "at": utc_iso(now)}
        return self.personal.act(EVENT_CHECKIN, payload)

    def appeal(self, signup_id: str, reason: str, text: str) -> str:
        """Appeal a no-show on one's attendance record, once."""
        cleaned = clean_appeal(reason, text)
        items = self.personal.loaded_view().attendance.get("items") or []
        record = next((i for i in items if i["id"] == signup_id), None)
        if record is None:
            raise InputError("signup", "not_found")
        if record.get("appeal") is not None:
            raise InputError("signup", "appeal_exists")
        if record.get("attendance") != "no_show":
            raise InputError("signup", "not_no_show")
        payload = {"signup_id": signup_id, **cleaned, "at": utc_iso(self.now())}
        return self.personal.act(ATTENDANCE_APPEAL, payload)

    # -- as staff at the door ------------------------------------------------------------------

    def door_check_in(self, event_id: str, code: str) -> str:
        """Check an attendee in by their personal code, typed (spaces, full-width digits are
        fine) or scanned from their QR code. Works offline: the time is now, kept on replay."""
        entry = self._door(event_id)
        if not code.strip():
            raise InputError("code", "code_empty")
        now = self.now()
        _check_window(entry["event"], now)  # the server's order: the window, then the code
        attendee = attendee_for_code(entry, code)
        return self._door_check_in(entry, attendee, {"code": attendee["personal_code"]}, now)

    def door_check_in_person(self, event_id: str, signup_id: str) -> str:
        """Check in the attendee whose row staff picked (found by name, say)."""
        entry = self._door(event_id)
        now = self.now()
        _check_window(entry["event"], now)
        attendee = _attendee(entry, signup_id)
        return self._door_check_in(entry, attendee, {"signup_id": signup_id}, now)

    def door_undo(self, event_id: str, signup_id: str) -> str:
        """Take back a check-in made by mistake (until a day after the event's end)."""
        entry = self._door(event_id)
        if self.now() > instant_of(entry["event"], "end_at") + UNDO_AFTER_END:
            raise InputError("event", "checkin_closed")
        _attendee(entry, signup_id)
        return self.personal.act(DOOR_UNDO, {"event_id": event_id, "signup_id": signup_id})

    def _door_check_in(
        self,
        entry: Mapping[str, Any],
        attendee: Mapping[str, Any],
        who: dict[str, Any],
        now: datetime,
    ) -> str:
        if attendee["state"] == "waitlisted":
            raise InputError("attendee", "signup_waitlisted")
        event_id = entry["event"]["id"]
        payload = {"event_id": event_id, "code": None, "signup_id": None, **who, "at": utc_iso(now)}
        return self.personal.act(DOOR_CHECKIN, payload)

    # -- checks against what the person sees -------------------------------------------------

    def _event(self, event_id: str) -> Event:
        event = self.catalog.event(event_id)
        if event is None:
            raise InputError("event", "not_found")
        return event

    @staticmethod
    def _active_signup(view: PersonalView, event_id: str) -> dict[str, Any]:
        signup = signup_for(view.signups, event_id)
        if signup is None:
            raise InputError("event", "not_signed_up")
        if signup["state"] == "cancelled":
            raise InputError("event", "signup_cancelled")
        return signup

    def _door(self, event_id: str) -> dict[str, Any]:
        entry = door_event(self.personal.loaded_view(), event_id)
        if entry is None:
            raise InputError("event", "not_found")
        return entry


def _check_window(event: Mapping[str, Any] | Event, now: datetime) -> None:
    state = checkin_window(event, now).state
    if state != "open":
        raise InputError("event", f"checkin_{state}")


def _attendee(entry: Mapping[str, Any], signup_id: str) -> dict[str, Any]:
    attendee = next((a for a in entry["attendees"] if a["signup_id"] == signup_id), None)
    if attendee is None:
        raise InputError("attendee", "not_signed_up")
    return attendee


# -- codes: personal codes, QR payloads, the way a code is read aloud ---------------------------


def qr_payload(event_id: str, code: str) -> str:
    """What an attendee's QR code holds: ``sunshine-checkin:<event_id>:<code>``."""
    return f"{QR_PREFIX}:{event_id}:{code}"


def parse_personal_code(text: str, event_id: str) -> str | None:
    """The 6-digit personal code in what staff typed or scanned, or None.

    Typed: spaces, dashes and full-width digits are forgiven ("482 913", "４８２９１３"). Scanned:
    the QR payload, which must be for this event (a code for another event is None).
    """
    said = text.strip()
    prefix = f"{QR_PREFIX}:"
    if said.lower().startswith(prefix):
        scanned_event, _, code = said[len(prefix) :].rpartition(":")
        if scanned_event != event_id:
            return None
        said = code
    code = digits_only(said)
    if len(code) == PERSONAL_CODE_LENGTH and code.isascii() and code.isdigit():
        return code
    return None


def spoken_code(code: str) -> str:
    """A code as it is read aloud: a personal code in groups of three ("482 913"), the event's
    four digits in pairs ("20 47")."""
    size = 2 if len(code) == 4 else 3
    return " ".join(code[i : i + size] for i in range(0, len(code), size))


def attendee_qr_png(event_id: str, code: str) -> bytes:
    """The attendee's check-in QR code as a PNG at least 200 pixels wide."""
    qr = segno.make(qr_payload(event_id, code), error="m")
    width, _ = qr.symbol_size(scale=1, border=QR_BORDER)
    out = io.BytesIO()
    qr.save(out, kind="png", scale=math.ceil(QR_MIN_PIXELS / width), border=QR_BORDER)
    return out.getvalue()


def attendee_for_code(entry: Mapping[str, Any], text: str) -> dict[str, Any]:
    """The row of a door event's attendee whose personal code this is (typed or scanned).

    ``InputError("code", ...)``: ``code_empty``, ``code_wrong`` (not a personal code, or a QR
    code for another event), ``code_unknown`` (nobody on the list has it).
    """
    if not text.strip():
        raise InputError("code", "code_empty")
    code = parse_personal_code(text, entry["event"]["id"])
    if code is None:
        raise InputError("code", "code_wrong")
    attendee = next((a for a in entry["attendees"] if a.get("personal_code") == code), None)
    if attendee is None:
        raise InputError("code", "code_unknown")
    return attendee


# -- for the screens: pure functions over the view and the catalogue ----------------------------


def my_signup(view: PersonalView, event_id: str) -> dict[str, Any] | None:
    """The person's sign-up for an event, in any state (cancelled ones too), or None."""
    return signup_for(view.signups, event_id)


def upcoming_signups(view: PersonalView, now: datetime) -> list[dict[str, Any]]:
    """Sign-ups holding or asking for a place, for events not yet ended; soonest first."""
    return [s for s in view.signups if s["state"] in HOLDING and parse_instant(s["end_at"]) > now]


def door_event(view: PersonalView, event_id: str) -> dict[str, Any] | None:
    """Today's door list for an event (staff): ``{"event", "event_code", "counts", "attendees"}``."""
    return next((d for d in view.door if d["event"]["id"] == event_id), None)


def find_attendees(attendees: Iterable[dict[str, Any]], query: str) -> list[dict[str, Any]]:
    """Attendees whose row fits what staff typed, in the list's order; all for an empty query.

    Digits: the last four digits of the phone, or a personal code (its first three digits or
    more). Anything else: part of the name, in characters or in pinyin: full (zhangayi),
    initials (zay), or mixed (张ay), as pinyin input methods take it; exact readings first,
    then fuzzy-sound ones (zang for zhang).
    """
    rows = list(attendees)
    digits = digits_only(query)
    if not digits:
        return rows
    if digits.isascii() and digits.isdigit():
        return [a for a in rows if _digits_fit(a, digits)]
    typed = TypedQuery(normalize(query).replace(" ", ""))
    if not typed.text:
        return rows
    costs = [(match_text(_name_readings(a.get("name") or ""), typed)[0], a) for a in rows]
    return [a for cost, a in sorted(costs, key=lambda c: c[0]) if cost <= FUZZY]


def _digits_fit(attendee: Mapping[str, Any], digits: str) -> bool:
    code = attendee.get("personal_code") or ""
    if attendee.get("phone_tail") == digits:
        return True
    return len(digits) >= 3 and code.startswith(digits)


def _name_readings(name: str) -> tuple[Any, ...]:
    return tuple(readings_of(ch) for ch in normalize(name).replace(" ", ""))
