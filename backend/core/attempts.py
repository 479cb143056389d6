"""Counting tries (wrong codes, requests) per subject within a window, in the database.

An attempt is counted *before* it is judged: ``count_attempt`` adds one in a single
``INSERT … ON CONFLICT DO UPDATE … RETURNING`` (atomic on SQLite and PostgreSQL alike, and
shared by every server process), and the caller judges the attempt only if the count it got
back is within its limit. So however many guesses arrive at once, at most the limit of them
are ever evaluated; a read-then-increment would let them all through together.

A subject's window starts at its first attempt and lasts ``window``; an attempt after it has
ended starts a new one. Ended windows are deleted by ``purge_attempts`` (housekeeping).
"""

from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import Integer, String, case, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from backend.core.db import dialect_insert
from backend.core.sealed import session_cipher
from backend.models import Base, UTCDateTime


class AttemptCount(Base):
    """How many attempts of one kind (``scope``) one ``subject`` made in its current window."""

    __tablename__ = "attempt_counts"

    scope: Mapped[str] = mapped_column(String(32), primary_key=True)
    subject: Mapped[str] = mapped_column(String(96), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class Attempt(NamedTuple):
    """The count in the subject's window (this attempt included) and when the window ends."""

    count: int
    ends_at: datetime


def count_attempt(
    session: Session, scope: str, subject: str, now: datetime, window: timedelta
) -> Attempt:
    """Add one attempt; returns the count in the subject's window and the window's end."""
    subject = _stored(session, subject)
    insert = dialect_insert(session)
    ends = now + window
    ended = AttemptCount.ends_at <= now
    statement = (
        insert(AttemptCount)
        .values(scope=scope, subject=subject, count=1, ends_at=ends)
        .on_conflict_do_update(
            index_elements=["scope", "subject"],
            set_={
                "count": case((ended, 1), else_=AttemptCount.count + 1),
                "ends_at": case((ended, ends), else_=AttemptCount.ends_at),
            },
        )
        .returning(AttemptCount.count, AttemptCount.ends_at)
    )
    count, ends_at = session.execute(statement).one()
    return Attempt(int(count), ends_at)


def attempts_made(session: Session, scope: str, subject: str, now: datetime) -> int:
    """The count in the subject's current window (0 if none)."""
    subject = _stored(session, subject)
    count = session.scalar(
        select(AttemptCount.count).where(
            AttemptCount.scope == scope,
            AttemptCount.subject == subject,
            AttemptCount.ends_at > now,
        )
    )
    return count or 0


def forget_attempts(session: Session, scope: str, subject: str) -> None:
    """A right answer clears the subject's count."""
    subject = _stored(session, subject)
    session.execute(
        delete(AttemptCount).where(AttemptCount.scope == scope, AttemptCount.subject == subject)
    )


def _stored(session: Session, subject: str) -> str:
    """A subject (a phone, an address) is kept as its blind index: the table names nobody."""
    return session_cipher(session).index(subject)


def any_ended(session: Session, now: datetime) -> bool:
    """Whether ``purge_attempts`` has anything to do (a cheap indexed read)."""
    return (
        session.scalar(select(AttemptCount.ends_at).where(AttemptCount.ends_at <= now).limit(1))
        is not None
    )


def purge_attempts(session: Session, now: datetime) -> int:
    """Delete the counts whose window has ended; returns how many."""
    return session.execute(delete(AttemptCount).where(AttemptCount.ends_at <= now)).rowcount
