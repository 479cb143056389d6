"""Sign-up latency under contention (issue 7): 200 people sign up for 50 places at one moment.

Not a timed test. On SQLite (one server process), then on PostgreSQL (a throw-away cluster,
two worker processes): starts the backend as a deployment does (``bench/deployed.py``: its own
processes, apart from this load generator), signs in 200 residents and the demo staff member
through the API, then for each round publishes one event with 50 places and releases 200
sign-ups together (a barrier; each person has their own keep-alive connection, Idempotency-Key
and sign-up UUID), timing every request from send to response. Every round must end with
exactly 50 confirmed and 150 waitlisted at positions 1..150: the decision is taken under the
event's lock, once per batch of the sign-ups that arrived together (group commit,
``backend/core/group_commit.py``).

Interleaved with the rounds, single uncontended sign-ups (one person, an event nobody else
wants) are timed in the same run, so the ratio compares like with like on this machine.

Prints p50 / p99 / max for confirmed, waitlisted, all contended and uncontended sign-ups, the
ratios contended / uncontended, and the CPU seconds the server and this load generator spent
on the contended rounds. The issue's target: p99 of all contended sign-ups <= 1.5 s.

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

from bench.claim_race import signed_in  # noqa: E402
from bench.deployed import DEV_CODE, deployed_server, own_cpu_seconds  # noqa: E402
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
    with tempfile.TemporaryDirectory(prefix="sunshine-bench-events-") as tmp:
        data = Path(tmp)
        measure("SQLite", f"sqlite:///{data / 'events.sqlite3'}", 1, data / "sqlite")
        with running_cluster(max_connections=500) as cluster:
            measure("PostgreSQL", cluster.create_database(), 2, data / "pg")


def measure(engine: str, db_url: str, workers: int, data_dir: Path) -> None:
    server_cpu = load_cpu = 0.0
    with deployed_server(db_url, workers, data_dir) as backend:
        staff = signed_in(backend.url, STAFF_PHONE, code=DEV_CODE, timeout=TIMEOUT)
        people = signed_in_people(backend.url, PEOPLE, code=DEV_CODE, timeout=TIMEOUT)
        confirmed: list[float] = []
        waitlisted: list[float] = []
        solo: list[float] = []
        published = 0
        for round_ in range(ROUNDS):
            event_id = publish(staff, published, PLACES)
            published += 1
            server_before, load_before = backend.cpu_seconds(), own_cpu_seconds()
            results = contended_round(people, event_id)
            server_cpu += backend.cpu_seconds() - server_before
            load_cpu += own_cpu_seconds() - load_before
            for result in results:
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
        f"every round), real HTTP, {engine}, {workers} server process(es)"
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
    print(
        f"CPU in the contended rounds: server {server_cpu:.1f} s "
        f"({server_cpu / len(contended) * 1000:.1f} ms a sign-up), load generator {load_cpu:.1f} s"
    )


if __name__ == "__main__":
    main()
