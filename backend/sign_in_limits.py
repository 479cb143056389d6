"""How many sign-in texts are sent and how many sign-in codes are judged.

Every limit is a count in the database (``backend.core.attempts``), so all server processes and
all parallel requests share it, and a guess is counted *before* it is judged.

- Texts: per phone and per client address, per day, besides the 30 s between two texts.
  A carrier's NAT can put many residents behind one address, hence its higher quota.
- Wrong codes are held against the **guesser** (client address + phone): after five, that
  address waits; the phone's owner, elsewhere, can still sign in. Against a guesser spread over
  many addresses, the phone's codes die after twenty wrong ones in a window (the owner asks for
  a new one; nobody is locked out), so each code is guessed at most twenty times in 10⁶.
"""

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from backend.core.attempts import Attempt, count_attempt, forget_attempts
from backend.core.problems import ProblemError, retry_after

TEXTS_PER_PHONE_PER_DAY = 10
TEXTS_PER_ADDRESS_PER_DAY = 100
WRONG_CODES_PER_GUESSER = 5
WRONG_CODES_PER_PHONE = 20
WRONG_CODE_WINDOW = timedelta(minutes=15)
DAY = timedelta(days=1)

_TEXTS_TO_PHONE = "sign_in_texts_phone"
_TEXTS_FROM_ADDRESS = "sign_in_texts_address"
_GUESSES = "sign_in_guesses"
_WRONG_FOR_PHONE = "sign_in_wrong_phone"


def count_text(session: Session, phone: str, address: str, now: datetime) -> None:
    """Count a text about to be sent; ``429 texts_used_up`` when the phone or the address has
    had its texts for the day."""
    for scope, subject, limit in (
        (_TEXTS_TO_PHONE, phone, TEXTS_PER_PHONE_PER_DAY),
        (_TEXTS_FROM_ADDRESS, address, TEXTS_PER_ADDRESS_PER_DAY),
    ):
        counted = count_attempt(session, scope, subject, now, DAY)
        if counted.count > limit:
            raise ProblemError(
                429,
                "texts_used_up",
                "No more codes today",
                "This phone number (or this network) has had all its sign-in codes for today.",
                headers=retry_after(counted.ends_at - now),
            )


def count_guess(session: Session, phone: str, address: str, now: datetime) -> Attempt:
    """Count a code about to be judged, against the guesser (address and phone)."""
    return count_attempt(session, _GUESSES, f"{address}|{phone}", now, WRONG_CODE_WINDOW)


def guesses_used_up(guess: Attempt) -> bool:
    """True when this guess is past the guesser's limit: it must not be judged."""
    return guess.count > WRONG_CODES_PER_GUESSER


def tries_left(guess: Attempt) -> int:
    return max(0, WRONG_CODES_PER_GUESSER - guess.count)


def count_wrong_for_phone(session: Session, phone: str, now: datetime) -> bool:
    """Count a wrong code for the phone from anywhere; True when its codes must now die."""
    counted = count_attempt(session, _WRONG_FOR_PHONE, phone, now, WRONG_CODE_WINDOW)
    return counted.count >= WRONG_CODES_PER_PHONE


def forget_guesses(session: Session, phone: str, address: str) -> None:
    """A right code: the guesser's count starts again (the phone's count runs its window)."""
    forget_attempts(session, _GUESSES, f"{address}|{phone}")


def locked_out(guess: Attempt, now: datetime) -> ProblemError:
    return ProblemError(
        429,
        "locked_out",
        "Too many wrong codes",
        "Too many wrong codes for this phone number from here; try again after the "
        "Retry-After delay.",
        headers=retry_after(guess.ends_at - now),
    )
