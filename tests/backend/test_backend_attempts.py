"""Attempts are counted before they are judged, atomically, in windows that end and are purged."""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.core.attempts import (
    AttemptCount,
    attempts_made,
    count_attempt,
    forget_attempts,
    purge_attempts,
)

NOW = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)
WINDOW = timedelta(minutes=15)


def count(session: Session, subject: str = "a", at: datetime = NOW) -> int:
    counted = count_attempt(session, "test", subject, at, WINDOW)
    session.commit()
    return counted.count


def test_each_attempt_counts_within_the_window_then_a_new_window_starts(session: Session):
    assert [count(session) for _ in range(3)] == [1, 2, 3]
    assert count(session, "b") == 1  # per subject
    assert attempts_made(session, "test", "a", NOW + WINDOW - timedelta(seconds=1)) == 3

    assert attempts_made(session, "test", "a", NOW + WINDOW) == 0  # the window has ended
    assert count(session, at=NOW + WINDOW) == 1  # and the next attempt starts a new one


def test_the_window_ends_where_its_first_attempt_put_it(session: Session):
    first = count_attempt(session, "test", "a", NOW, WINDOW)
    later = count_attempt(session, "test", "a", NOW + timedelta(minutes=5), WINDOW)
    session.commit()
    assert first.ends_at == later.ends_at == NOW + WINDOW


def test_a_right_answer_forgets_and_ended_windows_are_purged(session: Session):
    count(session)
    count(session, "b", at=NOW + timedelta(minutes=10))
    forget_attempts(session, "test", "a")
    session.commit()
    assert attempts_made(session, "test", "a", NOW) == 0

    count(session, "a")
    assert purge_attempts(session, NOW + WINDOW) == 1  # a's ended; b's runs to +25 min
    session.commit()
    assert session.scalar(select(func.count()).select_from(AttemptCount)) == 1


def test_attempts_arriving_together_each_get_their_own_count(app: FastAPI):
    """Fifty at once, each in its own session and connection: every count from 1 to 50 is
    handed out exactly once, so a limit of N lets exactly N be judged."""

    def attempt(_n: int) -> int:
        with app.state.session_factory() as session:
            return count(session)

    with ThreadPoolExecutor(max_workers=16) as pool:
        counts = sorted(pool.map(attempt, range(50)))

    assert counts == list(range(1, 51))
