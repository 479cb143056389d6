"""Sentences about signing in, the profile and waiting or refused actions.

Every failure a person can meet here has its own plain sentence; codes from the server map to
sentences by ``ProblemError.code``, never by showing the server's English ``detail``.
"""

from __future__ import annotations

import math

from app.field_words import too_long_sentence
from app.i18n import N_, _, ngettext
from services.account.kinds import PROFILE_EDIT
from services.errors import InputError, OfflineError, ProblemError, SignedOutError, SunshineError
from services.sync.outbox import Rejection

INPUT_ERRORS = {
    "phone_empty": N_("Please enter your mobile phone number."),
    "phone_not_digits": N_("A mobile phone number has digits only. Please check it."),
    "phone_prefix": N_("A mainland mobile number starts with 13 to 19. Please check it."),
    "code_empty": N_("Please enter the 6-digit code from the text message."),
    "code_not_digits": N_("The code has digits only. Please check it."),
    "nothing_changed": N_("Nothing was changed."),
}


def input_error_sentence(error: InputError) -> str:
    typed = error.params.get("typed", 0)
    if error.code == "phone_length":
        return ngettext(
            "A mobile phone number has 11 digits; you typed {count}.",
            "A mobile phone number has 11 digits; you typed {count}.",
            typed,
        ).format(count=typed)
    if error.code == "code_length":
        return ngettext(
            "The code has 6 digits; you typed {count}.",
            "The code has 6 digits; you typed {count}.",
            typed,
        ).format(count=typed)
    if error.code.endswith("_too_long"):
        return too_long_sentence(error)
    return _(INPUT_ERRORS.get(error.code, N_("Please check what you typed.")))


def _minutes(seconds: float | None) -> int:
    return max(1, math.ceil((seconds or 60) / 60))


def failure_sentence(error: SunshineError) -> str:
    """Why signing in (or loading the profile) did not work, and what to do."""
    if isinstance(error, InputError):
        return input_error_sentence(error)
    if isinstance(error, OfflineError):
        return _("No connection to the server. Please check the network and try again.")
    if isinstance(error, SignedOutError):
        return _("Your sign-in has expired. Please sign in again.")
    if isinstance(error, ProblemError):
        if error.code == "invalid_code":
            if error.tries_left == 1 and error.lockout_minutes:
                return _(
                    "The code is wrong or has expired. One more wrong code and, for your "
                    "safety, signing in from here pauses for up to {minutes} minutes. Check it, "
                    "or ask for a new code."
                ).format(minutes=error.lockout_minutes)
            return _("The code is wrong or has expired. Check it, or ask for a new code.")
        if error.code == "locked_out":
            return _(
                "Too many wrong codes. For your safety, try again in {minutes} minutes."
            ).format(minutes=_minutes(error.retry_after))
        if error.code == "rate_limited":
            return _("A code was just sent. You can ask for another in {seconds} seconds.").format(
                seconds=math.ceil(error.retry_after or 30)
            )
        if error.code == "texts_used_up":
            hours = max(1, math.ceil((error.retry_after or 3600) / 3600))
            return ngettext(
                "Too many codes were sent to this number today. You can ask for another in "
                "{hours} hour.",
                "Too many codes were sent to this number today. You can ask for another in "
                "{hours} hours.",
                hours,
            ).format(hours=hours)
        if error.code == "sms_failed":
            return _("The text message with the code could not be sent. Please try again.")
        if error.code == "validation_error":
            return _("The server could not accept this. Please check what you typed.")
    return _("Something went wrong on the server. Please try again later.")


def code_sent_sentence(phone: str, minutes: int) -> str:
    return _("A code was sent to {phone}. It is valid for {minutes} minutes.").format(
        phone=mask_phone(phone), minutes=minutes
    )


def signed_in_sentence(name: str) -> str:
    return _("Signed in. Welcome, {name}.").format(name=name) if name else _("Signed in.")


def signed_out_sentence() -> str:
    return _("Signed out. Your personal data has been removed from this device.")


def sign_out_warning(waiting: int) -> str:
    return ngettext(
        "{count} action has not been sent yet. If you sign out now it will be lost. "
        "Sign out anyway?",
        "{count} actions have not been sent yet. If you sign out now they will be lost. "
        "Sign out anyway?",
        waiting,
    ).format(count=waiting)


def waiting_sentence(waiting: int) -> str:
    if waiting == 0:
        return _("All your actions have been sent.")
    return ngettext(
        "{count} action waiting to send. It is sent automatically when the server can be reached.",
        "{count} actions waiting to send. They are sent automatically when the server can be reached.",
        waiting,
    ).format(count=waiting)


def contact_saved_sentence() -> str:
    return _("Saved on this device. It will be sent to the server shortly.")


def account_rejection_sentence(rejection: Rejection) -> str | None:
    """A change to the person's own details the server refused: what was undone, what to do now;
    None for other kinds."""
    if rejection.kind != PROFILE_EDIT:
        return None
    if rejection.code == "precondition_failed":
        return _(
            "Your contact details were changed elsewhere, so your change was not saved. "
            "The latest details are shown; please make your change again."
        )
    return _("Your change to your contact details was not accepted and has been undone.")


def mask_phone(phone: str) -> str:
    """138****0001: enough for the person to recognise, not for a passer-by to copy."""
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) == 11 else phone
