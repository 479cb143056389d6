"""Sentences about guided trips (助盲出行), volunteers and their notifications.

A blind resident hears these rather than reads them, so each one is whole: when (in words,
relative to today), from where to where, what state the trip is in and who is coming. Server
codes map to sentences here; the server's English ``detail`` is never shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from app.field_words import too_long_sentence
from app.i18n import N_, _
from app.time_words import when_words
from app.words import join_and
from services.errors import InputError
from services.sync.outbox import Rejection

# -- labels -----------------------------------------------------------------------------------

NEED_LABELS = {  # what a resident may ask for
    "sighted_guide": N_("Someone to walk with me and guide me"),
    "wheelchair": N_("Help with a wheelchair"),
    "sign_language": N_("Sign language"),
}
SKILL_LABELS = {  # what a volunteer can offer
    "sighted_guide": N_("Guiding a blind person on foot"),
    "wheelchair": N_("Pushing or helping with a wheelchair"),
    "sign_language": N_("Sign language"),
}
SHORT_SKILL_NAMES = {
    "sighted_guide": N_("sighted guide"),
    "wheelchair": N_("wheelchair help"),
    "sign_language": N_("sign language"),
}
AVAILABILITY_LABELS = {
    "weekday_daytime": N_("Weekdays, daytime"),
    "weekday_evening": N_("Weekday evenings"),
    "weekend": N_("Weekends"),
}
STATE_LABELS = {
    "open": N_("Waiting for a volunteer"),
    "claimed": N_("A volunteer has taken it"),
    "in_progress": N_("On the way"),
    "completed": N_("Completed"),
    "cancelled": N_("Cancelled"),
    "expired": N_("No volunteer took it in time"),
}
VOLUNTEER_STATUS = {
    "pending": N_("Your registration is waiting to be checked by staff."),
    "verified": N_("You are a verified volunteer."),
}
STARS = (1, 2, 3, 4, 5)


def volunteer_status_sentence(volunteer: Mapping[str, Any]) -> str:
    """Where the person's registration stands (GET /volunteers/me), with staff's reason when
    they paused it."""
    status = str(volunteer.get("status") or "pending")
    if status == "suspended":
        return _(
            "Staff have paused your volunteer service: {reason} You cannot take trips for now. "
            "Please contact your community service point."
        ).format(reason=volunteer.get("suspended_reason") or "")
    return _(VOLUNTEER_STATUS.get(status, VOLUNTEER_STATUS["pending"]))


def star_label(stars: int) -> str:
    return _("{count} out of 5").format(count=stars)


def needs_words(needs: Iterable[str]) -> str:
    return join_and(_(SHORT_SKILL_NAMES.get(n, n)) for n in needs)


# -- a trip -----------------------------------------------------------------------------------


def route_words(trip: Mapping[str, Any]) -> str:
    return _("from {origin} to {destination}").format(
        origin=trip.get("from_place") or "", destination=trip.get("to_place") or ""
    )


def trip_title(trip: Mapping[str, Any], now: datetime) -> str:
    """The line a trip is known by: when, and from where to where."""
    return _("{when}, {route}").format(
        when=when_words(trip["start_at"], now), route=route_words(trip)
    )


def state_sentence(trip: Mapping[str, Any]) -> str:
    label = _(STATE_LABELS.get(str(trip.get("state")), N_("Unknown state")))
    if trip.get("sending"):
        return _("{state}. Saved on this device; not sent to the server yet.").format(state=label)
    return _("State: {state}.").format(state=label)


def volunteer_sentence(trip: Mapping[str, Any]) -> str | None:
    """Who is coming, for the resident (with a number to call)."""
    volunteer = trip.get("volunteer")
    if not volunteer:
        return None
    return _("Your volunteer: {name}, phone {phone}.").format(
        name=volunteer.get("name") or "", phone=volunteer.get("phone") or ""
    )


def resident_sentence(trip: Mapping[str, Any]) -> str | None:
    """Whom the volunteer is guiding, with the contact number the resident gave."""
    if not trip.get("resident_name") and not trip.get("contact_phone"):
        return None
    return _("You are guiding {name}; contact phone {phone}.").format(
        name=trip.get("resident_name") or _("the resident"), phone=trip.get("contact_phone") or ""
    )


def code_word_sentence(trip: Mapping[str, Any]) -> str | None:
    """The word both phones show: a blind resident checks the volunteer by hearing it."""
    word = trip.get("code_word")
    if not word:
        if trip.get("state") == "claimed" and trip.get("sending"):
            return _("The code word appears once the server confirms your claim.")
        return None
    if trip.get("my_role") == "volunteer":
        return _(
            "Code word: {word}. Say it to the person you guide when you meet, so they know it "
            "is you."
        ).format(word=word)
    return _(
        "Code word: {word}. Your volunteer will say it when you meet. Go only with someone "
        "who says it."
    ).format(word=word)


def needs_sentence(trip: Mapping[str, Any]) -> str:
    return _("Needs: {needs}.").format(needs=needs_words(trip.get("needs") or []))


def rating_sentence(trip: Mapping[str, Any]) -> str | None:
    mine = trip.get("my_rating")
    if mine:
        return _("You rated this trip {stars}.").format(stars=star_label(int(mine["stars"])))
    if trip.get("state") == "completed":
        return _("How did it go? Rate it from 1 to 5.")
    return None


def who_sentence(trip: Mapping[str, Any]) -> str | None:
    """The other person on the trip: the volunteer for the resident, and the other way round."""
    if trip.get("my_role") == "volunteer":
        return resident_sentence(trip)
    return volunteer_sentence(trip)


def notes_sentence(trip: Mapping[str, Any]) -> str | None:
    notes = trip.get("notes")
    return _("Notes: {notes}").format(notes=notes) if notes else None


def open_trip_sentence(trip: Mapping[str, Any], now: datetime, districts: Mapping[str, str]) -> str:
    """An open trip as a volunteer hears it in the list."""
    return _("{title}. {district}. Needs: {needs}.").format(
        title=trip_title(trip, now),
        district=districts.get(str(trip.get("district")), str(trip.get("district") or "")),
        needs=needs_words(trip.get("needs") or []),
    )


# -- confirmations ----------------------------------------------------------------------------


def leave_sentence(start_at: datetime, now: datetime) -> str:
    """The start of the trip being asked for, said back in words as it is chosen."""
    return _("You leave: {when}.").format(when=when_words(start_at, now))


def request_review_sentence(start_at: datetime | None, needs: Iterable[str], now: datetime) -> str:
    """What is chosen for the request, read just before it is sent. Only what choosing
    changes (the screen is drawn again then): typed places would be out of date here."""
    sentences = [
        leave_sentence(start_at, now) if start_at is not None else "",
        _("Needs: {needs}.").format(needs=needs_words(needs)) if needs else "",
    ]
    return " ".join(s for s in sentences if s)


def request_saved_sentence(start_at: datetime, origin: str, destination: str, now: datetime) -> str:
    return _(
        "Your request is saved: {when}, from {origin} to {destination}. We will tell you as soon "
        "as a volunteer takes it."
    ).format(when=when_words(start_at, now), origin=origin, destination=destination)


ACTION_DONE = {
    "cancel": N_("Your trip is cancelled."),
    "claim": N_("You have taken this trip. The code word appears once the server confirms it."),
    "start": N_("Trip started. Have a safe journey."),
    "complete": N_("Trip completed. Thank you."),
    "release": N_("You have given the trip back. Another volunteer can now take it."),
    "rate": N_("Thank you for your rating."),
    "register": N_("Your registration is saved and will be sent to the server."),
}


def action_done_sentence(action: str) -> str:
    return _(ACTION_DONE[action])


def confirm_cancel_sentence(trip: Mapping[str, Any], now: datetime) -> str:
    return _("Cancel the trip {title}?").format(title=trip_title(trip, now))


def confirm_release_sentence(trip: Mapping[str, Any], now: datetime) -> str:
    return _(
        "Give back the trip {title}? The person will be told and another volunteer can take it."
    ).format(title=trip_title(trip, now))


# -- input errors -----------------------------------------------------------------------------

TRIP_INPUT_ERRORS = {
    "from_empty": N_("Please say where you start from."),
    "to_empty": N_("Please say where you are going."),
    "same_place": N_("The start and the destination are the same. Please check them."),
    "needs_empty": N_("Please choose at least one kind of help."),
    "need_invalid": N_("Please choose the help you need from the list."),
    "district_invalid": N_("Please choose your district."),
    "time_empty": N_("Please enter a time, for example 14:30."),
    "time_invalid": N_("Please enter the time as hours and minutes, for example 14:30."),
    "time_too_soon": N_(
        "Volunteers need time to get there: please choose a time at least 30 minutes from now."
    ),
    "time_too_far": N_("Trips can be booked at most 30 days ahead."),
    "name_empty": N_("Please enter your real name."),
    "id_number_empty": N_("Please enter your ID card number."),
    "id_number_chars": N_(
        "An ID card number has 17 digits and then a digit or the letter X. Please check it."
    ),
    "id_number_birth_date": N_(
        "The birth date inside this ID card number is not a real date. Please check it."
    ),
    "id_number_check_digit": N_(
        "This ID card number does not add up: one digit is probably wrong. Please check it "
        "against your card."
    ),
    "skills_empty": N_("Please choose at least one way you can help."),
    "districts_empty": N_("Please choose at least one district where you can help."),
    "availability_empty": N_("Please choose when you are usually free."),
    "stars_invalid": N_("Please choose from 1 to 5."),
    "trip_unknown": N_("This trip is no longer on your list."),
    "districts_too_many": N_("Please choose at most 16 districts."),
}


def trip_input_sentence(error: InputError) -> str | None:
    """The sentence for a trip or volunteer form error; None when it is a shared one (phone)."""
    if error.code == "id_number_length":
        return _("An ID card number has 18 characters; you typed {count}.").format(
            count=error.params.get("typed", 0)
        )
    if error.code.endswith("_too_long"):
        return too_long_sentence(error)
    # Checked on the device against what it shows: the same sentence the server's refusal gets.
    message = TRIP_INPUT_ERRORS.get(error.code) or PROBLEM_SENTENCES.get(error.code)
    return None if message is None else _(message)


# -- what the server refused ------------------------------------------------------------------

PROBLEM_SENTENCES = {
    "trip_taken": N_("Another volunteer took this trip first. It has been removed from your list."),
    "trip_cancelled": N_("The person cancelled this trip, so it cannot be taken."),
    "trip_expired": N_("This trip's start time has passed, so it can no longer be taken."),
    "own_trip": N_("This is your own request; another volunteer has to take it."),
    "skills_missing": N_("This trip needs help you have not registered for."),
    "volunteer_not_verified": N_("Only verified volunteers can take trips."),
    "volunteer_suspended": N_(
        "Staff have paused your volunteer service, so you cannot take or start trips for now."
    ),
    "volunteer_exists": N_("You are already registered as a volunteer."),
    "already_rated": N_("You have already rated this trip."),
    "trip_time_too_soon": N_(
        "The trip was refused: its start time is too soon for a volunteer to get there. Please "
        "ask again with a later time."
    ),
    "trip_time_too_far": N_("The trip was refused: it is more than 30 days ahead."),
    "illegal_transition": N_(
        "This trip changed meanwhile, so your action no longer applies. The latest state is shown."
    ),
    "not_found": N_("This trip no longer exists."),
}
KIND_SUBJECTS = {
    "trip_request": N_("Your trip request was not accepted and has been removed."),
    "trip_cancel": N_("Cancelling your trip did not work."),
    "trip_claim": N_("Your claim of a trip did not work."),
    "trip_start": N_("Starting the trip did not work."),
    "trip_complete": N_("Completing the trip did not work."),
    "trip_release": N_("Giving the trip back did not work."),
    "trip_rate": N_("Your rating was not accepted."),
    "volunteer_register": N_("Your volunteer registration was not accepted."),
    "notifications_read": N_("Marking your messages as read did not work."),
}


def trip_rejection_sentence(rejection: Rejection) -> str | None:
    """An outbox action of this module the server refused; None for other kinds."""
    subject = KIND_SUBJECTS.get(rejection.kind)
    if subject is None:
        return None
    reason = PROBLEM_SENTENCES.get(rejection.code)
    if rejection.kind == "trip_claim" and rejection.code == "trip_taken":
        return _(str(reason))  # says it all, and is what the volunteer most needs to hear
    return _(subject) if reason is None else f"{_(subject)} {_(reason)}"


# -- notifications ----------------------------------------------------------------------------


def trip_notification_sentence(item: Mapping[str, Any], now: datetime) -> str | None:
    """A message about a trip or a volunteer; None for other kinds, and for a trip message
    that does not say which trip (the general sentence covers it)."""
    data = item.get("data") or {}
    kind = item.get("kind")
    trip = {**data}
    if kind == "volunteer_verified":
        return _("You are now a verified volunteer. You can take trips.")
    if kind == "trip_started":
        return _("{name} has started your trip.").format(name=data.get("volunteer_name") or "")
    if kind == "trip_completed":
        return _("{name} marked your trip as completed. Please rate it.").format(
            name=data.get("volunteer_name") or ""
        )
    if "start_at" not in data:
        return None
    title = trip_title(trip, now)
    if kind == "trip_claimed":
        return _("{name} will guide you: {title}. Code word: {word}.").format(
            name=data.get("volunteer_name") or "", title=title, word=data.get("code_word") or ""
        )
    if kind == "trip_released":
        return _(
            "Your volunteer could no longer come for {title}. We are looking for another one."
        ).format(title=title)
    if kind == "trip_cancelled":
        return _("The person cancelled the trip {title}. You do not need to go.").format(
            title=title
        )
    if kind == "trip_expired":
        return _(
            "No volunteer took your trip {title} in time. Please ask again or call your "
            "service point."
        ).format(title=title)
    return None
