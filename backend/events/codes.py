"""The codes of check-in: the event's 4-digit door code and each attendee's 6-digit code.

Both are numbers so they can be read aloud; the personal code is said in groups of three
("482 913") and also travels as a QR code whose payload names the event, so a code scanned at
the wrong event's door is refused instead of checking in someone else.
"""

import re
import secrets

QR_PREFIX = "sunshine-checkin:"
EVENT_CODE = re.compile(r"[0-9]{4}")
PERSONAL_CODE = re.compile(r"[0-9]{6}")
_SPACES = re.compile(r"\s+")


def new_event_code() -> str:
    return f"{secrets.randbelow(10**4):04d}"


def new_personal_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def qr_payload(event_id: str, code: str) -> str:
    return f"{QR_PREFIX}{event_id}:{code}"


def personal_code_in(text: str, event_id: str) -> str | None:
    """The 6-digit personal code ``text`` stands for at ``event_id``'s door, or None.

    Accepts the code typed with any spaces ("482 913") or the QR payload of this event.
    """
    compact = _SPACES.sub("", text)
    if compact.startswith(QR_PREFIX):
        scanned_event, _, compact = compact[len(QR_PREFIX) :].rpartition(":")
        if scanned_event != event_id:
            return None
    return compact if PERSONAL_CODE.fullmatch(compact) else None


def is_event_code(text: str, event_code: str) -> bool:
    compact = _SPACES.sub("", text)
    return EVENT_CODE.fullmatch(compact) is not None and secrets.compare_digest(compact, event_code)
