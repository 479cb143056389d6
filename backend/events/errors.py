"""The problems events answer with, in one place: each code is a sentence on the client."""

from backend.core.problems import ProblemError


def event_not_found() -> ProblemError:
    return ProblemError(404, "not_found", "Not Found", "No such event.")


def signup_not_found() -> ProblemError:
    return ProblemError(404, "not_found", "Not Found", "No such sign-up.")


def not_signed_up() -> ProblemError:
    return ProblemError(404, "not_signed_up", "Not signed up", "You have not signed up for it.")


def signup_closed() -> ProblemError:
    return ProblemError(
        409, "signup_closed", "Sign-up closed", "Sign-up for this event has closed."
    )


def cancel_closed() -> ProblemError:
    return ProblemError(
        409,
        "cancel_closed",
        "Cancellation closed",
        "It is too late to cancel this place; record an excuse if you cannot come.",
    )


def excuse_closed() -> ProblemError:
    return ProblemError(
        409,
        "excuse_closed",
        "Excuses closed",
        "The event has ended; appeal the attendance record instead.",
    )


def signup_cancelled() -> ProblemError:
    return ProblemError(409, "signup_cancelled", "Sign-up cancelled", "This sign-up was cancelled.")


def signup_waitlisted() -> ProblemError:
    return ProblemError(
        409, "signup_waitlisted", "On the wait-list", "A waitlisted sign-up has no place yet."
    )


def code_wrong() -> ProblemError:
    return ProblemError(422, "code_wrong", "Wrong code", "This code does not check anyone in here.")


def code_tries_used_up() -> ProblemError:
    return ProblemError(
        429,
        "code_tries_used_up",
        "Too many wrong codes",
        "Too many wrong codes for this event: the staff at the door can check you in.",
    )


def checkin_not_open() -> ProblemError:
    return ProblemError(
        409,
        "checkin_not_open",
        "Check-in not open",
        "Check-in opens 60 minutes before the event starts.",
    )


def checkin_closed() -> ProblemError:
    return ProblemError(
        409, "checkin_closed", "Check-in closed", "Check-in for this event is over."
    )


def not_no_show() -> ProblemError:
    return ProblemError(
        409,
        "not_no_show",
        "Not a no-show",
        "Only an absence recorded as a no-show can be appealed.",
    )


def appeal_exists() -> ProblemError:
    return ProblemError(
        409, "appeal_exists", "Already appealed", "This absence has been appealed already."
    )


def no_appeal() -> ProblemError:
    return ProblemError(409, "no_appeal", "No appeal pending", "There is no appeal to decide.")
