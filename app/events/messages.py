"""Sentences about community events (阳光201): when and where, places left, my sign-up, check-in,
attendance, excuses and appeals, and the staff's door list.

Like the trip sentences, each is whole when heard alone. Server and device codes map to
sentences here; the server's English ``detail`` is never shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from app.field_words import too_long_sentence
from app.i18n import N_, _, ngettext
from app.time_words import clock_words, parse_time, when_words
from app.words import join_and
from services.clock import SHANGHAI
from services.errors import InputError
from services.sync.outbox import Rejection

Record = Mapping[str, Any]

EXCUSE_LABELS = {
    "health": N_("I am unwell"),
    "weather": N_("The weather is too bad"),
    "other": N_("Another reason"),
    "escort_failed": N_("My guide could not come"),
}
PERSON_EXCUSES = ("health", "weather", "other")  # escort_failed is recorded by the server only
APPEAL_REASONS = ("health", "escort_failed", "weather", "other")

SIGNUP_STATES = {
    "confirmed": N_("You have a place."),
    "cancelled": N_("You cancelled your sign-up."),
    "sending": N_("Your sign-up is saved on this device and will be sent."),
}
ATTENDANCE_STATES = {
    "attended": N_("You attended."),
    "excused": N_("Your absence is excused."),
    "no_show": N_(
        "Marked as not attended: you had a place, did not check in, and no excuse was recorded."
    ),
}
APPEAL_STATES = {
    "pending": N_("Your appeal is waiting for staff to read it."),
    "accepted": N_("Your appeal was accepted: the absence is excused."),
    "declined": N_("Your appeal was not accepted."),
}


def pick(table: Mapping[str, str], key: str, fallback: str | None = None) -> str:
    """The translated entry for ``key`` in a table of msgids, or the ``fallback`` key's."""
    return _(table.get(key) or table[fallback or key])


# -- an event -----------------------------------------------------------------------------------


def event_when(event: Record, now: datetime) -> str:
    """Tomorrow (Mon, Nov 23) 2:00 PM to 4:00 PM; the end's day is said only if it differs."""
    start, end = parse_time(event["start_at"]), parse_time(event["end_at"])
    same_day = start.astimezone(SHANGHAI).date() == end.astimezone(SHANGHAI).date()
    return _("{start} to {end}").format(
        start=when_words(start, now), end=clock_words(end) if same_day else when_words(end, now)
    )


def event_title(event: Record, now: datetime) -> str:
    """The line an event is known by: its name and when."""
    return _("{title}, {when}").format(title=event.get("title") or "", when=event_when(event, now))


def place_words(event: Record, venue: Record | None) -> str:
    """The institution, the room, the address: where a guide takes the person."""
    parts = [str((venue or {}).get("name") or ""), str(event.get("room") or "")]
    parts.append(str((venue or {}).get("address") or ""))
    return _(", ").join(p for p in parts if p)


def venue_sentence(event: Record, venue: Record | None) -> str:
    place = place_words(event, venue)
    return _("Place: {place}").format(place=place) if place else _("The place is not saved yet.")


def accessibility_sentence(venue: Record | None) -> str:
    facts = list((venue or {}).get("accessibility") or ())
    if not facts:
        return _("No accessibility facts are recorded for this place yet; please call ahead.")
    return _("At this place: {facts}.").format(facts=join_and(facts))


def provides_sentence(event: Record) -> str | None:
    offered = list(event.get("provides") or ())
    return _("The event offers: {items}.").format(items=join_and(offered)) if offered else None


def places_sentence(event: Record) -> str:
    """Places left, or how long the waiting list is when it is full."""
    left, capacity = int(event.get("places_left") or 0), int(event.get("capacity") or 0)
    if left > 0:
        return ngettext(
            "{count} place left of {capacity}.", "{count} places left of {capacity}.", left
        ).format(count=left, capacity=capacity)
    waiting = int(event.get("waitlisted") or 0)
    return ngettext(
        "Full: {count} person is on the waiting list. You can still join it.",
        "Full: {count} people are on the waiting list. You can still join it.",
        waiting,
    ).format(count=waiting)


def deadlines_sentence(event: Record, now: datetime) -> str:
    return _("Sign up by {signup}. Cancel by {cancel}.").format(
        signup=when_words(event["signup_deadline"], now),
        cancel=when_words(event["cancel_deadline"], now),
    )


# -- my sign-up ---------------------------------------------------------------------------------


def signup_sentence(signup: Record | None) -> str:
    """Where I stand for one event."""
    if signup is None:
        return _("You have not signed up.")
    state = str(signup.get("state"))
    if signup.get("sending") and state != "cancelled":
        return pick(SIGNUP_STATES, "sending")
    if state == "waitlisted":
        return _("You are number {position} on the waiting list.").format(
            position=signup.get("waitlist_position") or "?"
        )
    return pick(SIGNUP_STATES, state, "sending")


def checked_in_sentence(signup: Record) -> str | None:
    at = signup.get("checked_in_at")
    if not at:
        return None
    return _("Checked in at {time}.").format(time=clock_words(parse_time(at)))


def personal_code_sentence(spoken_code: str) -> str:
    return _("Your check-in code: {code}").format(code=spoken_code)


def excuse_sentence(signup: Record) -> str | None:
    excuse = signup.get("excuse")
    if not excuse:
        return None
    reason = excuse_label(str(excuse.get("reason")))
    if excuse.get("auto"):
        return _("Excused automatically: {reason}.").format(reason=reason)
    return _("Your excuse is recorded: {reason}.").format(reason=reason)


def excuse_label(reason: str) -> str:
    return pick(EXCUSE_LABELS, reason, "other")


def attendance_sentence(signup: Record) -> str | None:
    message = ATTENDANCE_STATES.get(str(signup.get("attendance")))
    return None if message is None else _(message)


def appeal_sentence(signup: Record) -> str | None:
    appeal = signup.get("appeal")
    if not appeal:
        return None
    said = pick(APPEAL_STATES, str(appeal.get("state")), "pending")
    note = appeal.get("note")
    return f"{said} {_('Staff said: {note}').format(note=note)}" if note else said


def record_summary_sentence(summary: Record) -> str:
    return _("Attended {attended}, excused {excused}, not attended {no_show}.").format(
        attended=summary.get("attended", 0),
        excused=summary.get("excused", 0),
        no_show=summary.get("no_show", 0),
    )


def never_blocks_sentence() -> str:
    return _(
        "This record never stops you from signing up. If an absence was not your fault, appeal "
        "and staff will look at it."
    )


# -- what the person asked for ------------------------------------------------------------------

ACTION_DONE = {
    "signup": N_("Your sign-up is saved. We will tell you whether you have a place."),
    "cancel": N_("Your sign-up is cancelled. Your place goes to the next person waiting."),
    "excuse": N_("Your excuse is recorded. You will not be marked as absent without reason."),
    "checkin": N_("Your check-in is saved. Welcome!"),
    "appeal": N_("Your appeal is saved. Staff will read it and you will get a message."),
}


def event_done_sentence(action: str) -> str:
    return _(ACTION_DONE[action])


def confirm_cancel_signup_sentence(event: Record, now: datetime) -> str:
    return _("Cancel your sign-up for {title}?").format(title=event_title(event, now))


def guide_sentence(trip: Record | None) -> str | None:
    """Whether a guide is arranged for getting there."""
    if trip is None:
        return None
    if trip.get("state") in ("claimed", "in_progress", "completed"):
        name = (trip.get("volunteer") or {}).get("name") or ""
        return _("{name} will guide you there.").format(name=name)
    if trip.get("state") == "open":
        return _("You asked for a guide to get there; waiting for a volunteer.")
    return None


# -- the door (staff) ---------------------------------------------------------------------------


def door_count_sentence(counts: Record) -> str:
    return _("{checked_in} of {confirmed} checked in.").format(
        checked_in=counts.get("checked_in", 0), confirmed=counts.get("confirmed", 0)
    )


def attendee_line(attendee: Record) -> str:
    """Name, last 4 phone digits, and where they stand: what staff read down the list."""
    if attendee.get("checked_in_at"):
        stands = _("checked in at {time}").format(
            time=clock_words(parse_time(attendee["checked_in_at"]))
        )
    elif attendee.get("state") == "waitlisted":
        stands = _("waiting list number {position}").format(
            position=attendee.get("waitlist_position") or "?"
        )
    else:
        stands = _("not checked in yet")
    return _("{name} (phone ending {tail}): {stands}").format(
        name=attendee.get("name") or "", tail=attendee.get("phone_tail") or "", stands=stands
    )


def door_checked_in_sentence(attendee: Record) -> str:
    return _("{name} is checked in.").format(name=attendee.get("name") or "")


def door_undone_sentence(attendee: Record) -> str:
    return _("Check-in of {name} undone.").format(name=attendee.get("name") or "")


def found_sentence(count: int) -> str:
    return ngettext("{count} person found.", "{count} people found.", count).format(count=count)


# -- refusals -----------------------------------------------------------------------------------

PROBLEM_SENTENCES = {
    "signup_closed": N_("Sign-up for this event has closed."),
    "cancel_closed": N_(
        "It is too late to cancel. If you cannot come, record an excuse so you are not marked "
        "absent."
    ),
    "not_signed_up": N_("You are not signed up for this event."),
    "excuse_closed": N_("The event is over; to explain an absence, appeal in your record."),
    "code_empty": N_("Please enter the code first."),
    "code_wrong": N_("This code is not right for this event. Please check it and try again."),
    "code_tries_used_up": N_(
        "Too many wrong codes for this event. Please ask the staff at the door to check you in."
    ),
    "code_unknown": N_("Nobody on this event's list has this code."),
    "checkin_not_open": N_("Check-in opens one hour before the start."),
    "checkin_closed": N_("Check-in for this event has closed."),
    "signup_waitlisted": N_("This person is on the waiting list, not confirmed."),
    "signup_cancelled": N_("This sign-up was cancelled."),
    "not_no_show": N_("Only an absence can be appealed."),
    "appeal_exists": N_("You have already appealed this absence."),
    "no_appeal": N_("There is no appeal to decide."),
    "appeal_text_empty": N_("Please say in a few words what happened."),
    "forbidden": N_("Only staff can do this."),
    "not_your_district": N_("This event is in a district you are not staff in."),
    "not_found": N_("This event no longer exists."),
}
KIND_SUBJECTS = {
    "event_signup": N_("Your sign-up was not accepted."),
    "event_cancel": N_("Cancelling your sign-up did not work."),
    "event_excuse": N_("Your excuse was not recorded."),
    "event_checkin": N_("Your check-in did not work."),
    "door_checkin": N_("A check-in at the door did not work."),
    "door_undo": N_("Undoing a check-in did not work."),
    "attendance_appeal": N_("Your appeal was not accepted."),
}


def event_input_sentence(error: InputError) -> str | None:
    """The sentence for an event form or action error found on the device; None if not ours."""
    if error.code.endswith("_too_long"):
        return too_long_sentence(error)
    message = PROBLEM_SENTENCES.get(error.code)
    return None if message is None else _(message)


def event_rejection_sentence(rejection: Rejection) -> str | None:
    """An outbox action of this module the server refused; None for other kinds."""
    subject = KIND_SUBJECTS.get(rejection.kind)
    if subject is None:
        return None
    reason = PROBLEM_SENTENCES.get(rejection.code)
    return _(subject) if reason is None else f"{_(subject)} {_(reason)}"


# -- messages -----------------------------------------------------------------------------------


def event_notification_sentence(item: Record, now: datetime) -> str | None:
    """The sentence of a message about an event; None for other kinds."""
    data = item.get("data") or {}
    kind = item.get("kind")
    if not str(kind).startswith("event_"):
        return None
    title = data.get("title") or ""
    when = when_words(data["start_at"], now) if data.get("start_at") else ""
    if kind == "event_promoted":
        return _("A place came free: you now have a place at {title}, {when}.").format(
            title=title, when=when
        )
    if kind == "event_no_show":
        return _(
            "You were marked as not attending {title}. This does not stop you signing up; if "
            "it was not your fault, appeal in your events record."
        ).format(title=title)
    if kind == "event_excused":
        return _("Your guide could not come, so your absence from {title} is excused.").format(
            title=title
        )
    if kind == "event_appeal_decided":
        if data.get("accepted"):
            return _("Your appeal about {title} was accepted.").format(title=title)
        return _("Your appeal about {title} was not accepted.").format(title=title)
    return _("You have a new message.")


def reason_options(reasons: Iterable[str]) -> list[tuple[str, str]]:
    return [(reason, excuse_label(reason)) for reason in reasons]
