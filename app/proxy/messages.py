"""What the app says about acting on behalf (代办): the consent code, who acts for whom, what
they did, and every refusal in a plain sentence (codes from services/proxy/commands.py and the server)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from app.account.messages import failure_sentence, mask_phone
from app.i18n import N_, _
from app.time_words import parse_time, when_words
from services.errors import InputError, ProblemError, SunshineError
from services.proxy.kinds import CONSENT_CONFIRM, CONSENT_END, CONSENT_WITHDRAW
from services.sync.outbox import Rejection

Record = Mapping[str, Any]

STATES = {
    "pending": N_("waiting for confirmation"),
    "active": N_("valid"),
    "withdrawn": N_("withdrawn"),
    "ended": N_("ended by the helper"),
    "expired": N_("expired"),
}
# What a helper did, as the resident reads it in their records.
ACTION_WORDS = {
    "profile_edit": N_("changed your profile"),
    "inbox_reply": N_("answered a policy message"),
    "notifications_read": N_("marked your messages as read"),
    "trip_request": N_("asked for a travel guide"),
    "trip_cancel": N_("cancelled a trip"),
    "trip_rate": N_("rated a trip"),
    "event_signup": N_("signed you up for an event"),
    "event_cancel": N_("cancelled an event sign-up"),
    "event_checkin": N_("checked you in at an event"),
    "event_excuse": N_("recorded why you could not attend"),
    "event_appeal": N_("appealed a no-show"),
}
PROBLEMS = {
    "invalid_format": N_("The consent code has 8 digits. Please check it."),
    "consent_code_invalid": N_(
        "This consent code is wrong for this phone number, has expired or was used already. "
        "Check the number, or ask for a new code."
    ),
    "own_consent": N_("This is your own consent code; give it to the person who helps you."),
    "too_many_attempts": N_("Too many wrong codes. Please wait a few minutes and try again."),
    "redeeming_paused": N_(
        "For everyone's safety, consent codes cannot be used for a while. Please try again in "
        "an hour."
    ),
    "consent_pending": N_(
        "The resident has not confirmed yet. Ask them to confirm on their own phone, under "
        "“Acting for me”."
    ),
    "consent_active": N_("You have confirmed this consent already."),
    "consent_withdrawn": N_("The resident has withdrawn their consent."),
    "consent_expired": N_("The consent has expired. Ask the resident for a new code."),
    "consent_ended": N_("This consent has ended."),
    "consent_not_found": N_("This consent is not on this device."),
    "not_on_behalf": N_("This cannot be done for someone else. Stop acting for them first."),
    "actions_waiting": N_(
        "Actions for this person are still waiting to be sent. Wait until they are sent."
    ),
}
CONSENT_GONE = ("consent_withdrawn", "consent_expired", "consent_ended")
KIND_SUBJECTS = {
    CONSENT_CONFIRM: N_("Confirming the consent did not work."),
    CONSENT_WITHDRAW: N_("Withdrawing the consent did not work."),
    CONSENT_END: N_("Ending the consent did not work."),
}


def lasts_label(lasts: str) -> str:
    return _("Allow for 30 days") if lasts == "month" else _("Allow for 12 hours")


def spoken_code(code: str) -> str:
    """Read in two groups of four, as the person says it to the helper."""
    return f"{code[:4]} {code[4:]}"


def code_sentence(grant: Record, now: datetime) -> str:
    return _(
        "Consent code: {code}. Tell it and your phone number to the person helping you before "
        "{until}. It works once."
    ).format(code=spoken_code(str(grant["code"])), until=when_words(grant["expires_at"], now))


def state_words(consent: Record) -> str:
    state = str(consent.get("state") or "")
    msgid = STATES.get(state)
    return state if msgid is None else _(msgid)


def consent_sentence(consent: Record, person: Record, now: datetime) -> str:
    """Who (the other side of the consent), its state, and until when."""
    return _("{name} ({phone}): {state}, from {start} until {end}.").format(
        name=person.get("name") or "",
        phone=person.get("phone_masked") or mask_phone(str(person.get("phone") or "")),
        state=state_words(consent),
        start=when_words(consent["granted_at"], now),
        end=when_words(consent.get("ended_at") or consent["expires_at"], now),
    )


def action_sentence(action: Record, helper: Record, now: datetime) -> str:
    kind = str(action.get("kind") or "")
    msgid = ACTION_WORDS.get(kind)
    return _("{when}: {name} {what}.").format(
        when=when_words(parse_time(action["at"]), now),
        name=helper.get("name") or "",
        what=kind if msgid is None else _(msgid),
    )


def acting_banner(name: str) -> str:
    return _("You are acting for {name}. Everything you do is recorded for them.").format(name=name)


def started_sentence(name: str) -> str:
    return _("You are now acting for {name}. Their information is shown.").format(name=name)


def request_sentence(name: str) -> str:
    """To the resident: a helper redeemed their code and waits for them."""
    return _(
        "{name} asks to act for you. If you gave them your code, confirm below; if not, refuse."
    ).format(name=name)


def confirmed_sentence(name: str) -> str:
    return _("Confirmed. {name} can act for you now.").format(name=name)


def refused_sentence(name: str) -> str:
    return _("Refused. {name} cannot act for you.").format(name=name)


def asked_sentence(name: str) -> str:
    """To the helper, after redeeming: the resident must confirm first."""
    return _(
        "{name} is asked to confirm on their own phone, under “Acting for me”. Wait here: you "
        "act for them as soon as they confirm."
    ).format(name=name)


def not_confirmed_sentence(name: str) -> str:
    return _("{name} did not confirm. Ask them for a new code if they want your help.").format(
        name=name
    )


def confirmed_here_sentence(name: str) -> str:
    """To a helper who left the screen while waiting: where to go now."""
    return _("{name} confirmed. Open “Act for someone” to act for them.").format(name=name)


def stopped_sentence() -> str:
    return _("You are acting as yourself again.")


def withdrawn_sentence(name: str) -> str:
    return _("Consent withdrawn. {name} can no longer act for you.").format(name=name)


def ended_sentence(name: str) -> str:
    return _("You no longer act for {name}.").format(name=name)


def proxy_failure_sentence(error: SunshineError) -> str:
    code = error.code if isinstance(error, (InputError, ProblemError)) else None
    msgid = PROBLEMS.get(code or "")
    return failure_sentence(error) if msgid is None else _(msgid)


def proxy_rejection_sentence(rejection: Rejection) -> str | None:
    """A consent action the server refused, or any action refused because the consent it was
    made under is gone; None for the rest."""
    reason = PROBLEMS.get(rejection.code)
    subject = KIND_SUBJECTS.get(rejection.kind)
    if subject is None:
        if reason is None or rejection.code not in CONSENT_GONE:
            return None
        subject = N_("An action for someone else was not done.")
    return _(subject) if reason is None else f"{_(subject)} {_(reason)}"


def proxy_notification_sentence(item: Record) -> str | None:
    data = item.get("data") or {}
    kind = item.get("kind")
    if kind == "proxy_requested":
        return _(
            "{name} asks to act for you. Confirm or refuse under “Acting for me”. Until you "
            "confirm, they cannot act for you."
        ).format(name=data.get("helper_name") or "")
    if kind == "proxy_confirmed":
        return confirmed_here_sentence(str(data.get("resident_name") or ""))
    if kind == "proxy_started":  # before residents confirmed: still in older inboxes
        return _(
            "{name} can now act for you with your consent. You can withdraw it under “Acting "
            "for me”."
        ).format(name=data.get("helper_name") or "")
    return None
