"""Sign-up latency under contention (issue 7): 200 people sign up for 50 places at one moment.

Not a timed test. On SQLite, then on PostgreSQL (a throw-away cluster): starts the embedded
reference backend (uvicorn, one process, a temp data dir), signs in 200 residents and the demo
staff member through the API, then for each round publishes one event with 50 places and
releases 200 sign-ups together (a barrier; each person has their own keep-alive connection,
Idempotency-Key and sign-up UUID), timing every request from send to response. Every round must end with exactly 50 confirmed and 150 waitlisted at
positions 1..150: the decision is taken under the write lock.

Interleaved with the rounds, single uncontended sign-ups (one person, an event nobody else
wants) are timed in the same run, so the ratio compares like with like on this machine.

Prints p50 / p99 / max for confirmed, waitlisted, all contended and uncontended sign-ups, and
the ratios contended / uncontended.

Run: ``make bench`` (or ``.venv/bin/python bench/events.py``).
"""

from __future__ import annotations

import sys
import tempfile
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from backend.core.config import Settings  # noqa: E402
from backend.embedded import EmbeddedBackend  # noqa: E402
from bench.claim_race import signed_in  # noqa: E402
from bench.signup_race import (  # noqa: E402
    STAFF_PHONE,
    SignupResult,
    publish_event,
    sign_up_all_at_once,
    signed_in_people,
    timed_sign_up,
)
from bench.trips import line, percentile  # noqa: E402
from tools.pg_cluster import running_cluster  # noqa: E402

DEV_CODE = "246810"
PEOPLE = 200
PLACES = 50
ROUNDS = 5
SOLO_PER_ROUND = 10  # uncontended sign-ups timed after each contended round
TIMEOUT = 60.0


def publish(staff: httpx.Client, n: int, capacity: int) -> str:
    start = datetime.now(UTC) + timedelta(days=2, minutes=n)
    return publish_event(staff, start, capacity=capacity, title=f"基准活动 {n}")


def contended_round(people: list[httpx.Client], event_id: str) -> list[SignupResult]:
    results = sign_up_all_at_once(people, event_id)
    outcomes = Counter((r.status, r.body.get("state", r.body.get("code"))) for r in results)
    assert outcomes == {(201, "confirmed"): PLACES, (201, "waitlisted"): PEOPLE - PLACES}, outcomes
    positions = sorted(r.body["waitlist_position"] for r in results if r.body["waitlist_position"])
    assert positions == list(range(1, PEOPLE - PLACES + 1)), "positions 1..150"
    return results


def main() -> None:
    measure("SQLite", None)
    with running_cluster() as cluster:
        measure("PostgreSQL", cluster.create_database())


def measure(engine: str, db_url: str | None) -> None:
    with tempfile.TemporaryDirectory(prefix="sunshine-bench-events-") as tmp:
        settings = Settings(env="dev", data_dir=Path(tmp), dev_login_code=DEV_CODE)
        if db_url is not None:
            settings = settings.model_copy(update={"db_url": db_url})
        with EmbeddedBackend(settings) as backend:
            staff = signed_in(backend.url, STAFF_PHONE, code=DEV_CODE, timeout=TIMEOUT)
            people = signed_in_people(backend.url, PEOPLE, code=DEV_CODE, timeout=TIMEOUT)
            confirmed: list[float] = []
            waitlisted: list[float] = []
            solo: list[float] = []
            published = 0
            for round_ in range(ROUNDS):
                event_id = publish(staff, published, PLACES)
                published += 1
                for result in contended_round(people, event_id):
                    kind = confirmed if result.body["state"] == "confirmed" else waitlisted
                    kind.append(result.seconds)
                for k in range(SOLO_PER_ROUND):
                    event_id = publish(staff, published, PLACES)
                    published += 1
                    result = timed_sign_up(people[(round_ * SOLO_PER_ROUND + k) % PEOPLE], event_id)
                    assert result.status == 201, result.body
                    solo.append(result.seconds)
            for client in [staff, *people]:
                client.close()

    contended = confirmed + waitlisted
    print(
        f"event sign-ups: {ROUNDS} rounds of {PEOPLE} people signing up for {PLACES} places at "
        f"once (exactly {PLACES} confirmed, {PEOPLE - PLACES} waitlisted at 1..{PEOPLE - PLACES} "
        f"every round), real HTTP, {engine}"
    )
    print(line("confirmed", confirmed))
    print(line("waitlisted", waitlisted))
    print(line("all contended sign-ups", contended))
    print(line("uncontended sign-up", solo))
    base50, base99 = percentile(solo, 0.5), percentile(solo, 0.99)
    print(
        f"ratio contended / uncontended: p50 {percentile(contended, 0.5) / base50:.1f}x, "
        f"p99 {percentile(contended, 0.99) / base99:.1f}x"
    )


if __name__ == "__main__":
    main()
