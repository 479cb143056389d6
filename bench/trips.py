"""Claim latency under contention (issue 6): 50 volunteers claim one trip at the same moment.

Not a timed test. Starts the embedded reference backend (uvicorn, SQLite file in a temp data
dir, volunteers verified at once as in dev mode), registers 50 volunteers through the API, then
for each round publishes one trip and releases 50 claims together (a barrier; each volunteer
has their own keep-alive connection and Idempotency-Key), timing every claim request from
send to response. Every round must end with exactly one winner and 49 ``409 trip_taken``.

Interleaved with the rounds, single uncontended claims (one volunteer, a trip nobody else
wants) are timed in the same run, so the ratio compares like with like on this machine.

Prints p50 / p99 / max claim latency for winners, losers, all contended claims and the
uncontended claims, and the ratios contended / uncontended.

Run: ``make bench`` (or ``.venv/bin/python bench/trips.py``).
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
from bench.claim_race import (  # noqa: E402
    ClaimResult,
    claim_all_at_once,
    publish_trip,
    signed_in,
    timed_claim,
    verified_volunteer,
)

DEV_CODE = "246810"
VOLUNTEERS = 50
ROUNDS = 20
SOLO_PER_ROUND = 3  # uncontended claims timed after each contended round
RESIDENT_PHONE = "13800000001"  # the demo resident
TIMEOUT = 60.0


def publish(resident: httpx.Client, n: int) -> str:
    start = datetime.now(UTC) + timedelta(hours=2, minutes=n)
    return publish_trip(resident, start, from_place=f"基准起点 {n}", phone=RESIDENT_PHONE)


def contended_round(volunteers: list[httpx.Client], trip_id: str) -> list[ClaimResult]:
    results = claim_all_at_once(volunteers, trip_id)
    outcomes = Counter((r.status, r.body.get("code", "")) for r in results)
    assert outcomes == {(200, ""): 1, (409, "trip_taken"): len(volunteers) - 1}, outcomes
    return results


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def line(label: str, seconds: list[float]) -> str:
    return (
        f"  {label:<22} p50 {percentile(seconds, 0.5) * 1e3:8.2f} ms   "
        f"p99 {percentile(seconds, 0.99) * 1e3:8.2f} ms   max {max(seconds) * 1e3:8.2f} ms"
        f"   (n={len(seconds)})"
    )


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="sunshine-bench-trips-") as tmp:
        settings = Settings(
            env="dev", data_dir=Path(tmp), dev_login_code=DEV_CODE, auto_verify_volunteers=True
        )
        with EmbeddedBackend(settings) as backend:
            resident = signed_in(backend.url, RESIDENT_PHONE, code=DEV_CODE, timeout=TIMEOUT)
            volunteers = [
                verified_volunteer(backend.url, n, code=DEV_CODE, timeout=TIMEOUT)
                for n in range(VOLUNTEERS)
            ]
            winners: list[float] = []
            losers: list[float] = []
            solo: list[float] = []
            published = 0
            for round_ in range(ROUNDS):
                trip_id = publish(resident, published)
                published += 1
                for result in contended_round(volunteers, trip_id):
                    (winners if result.status == 200 else losers).append(result.seconds)
                for k in range(SOLO_PER_ROUND):
                    trip_id = publish(resident, published)
                    published += 1
                    result = timed_claim(volunteers[(round_ + k) % VOLUNTEERS], trip_id)
                    assert result.status == 200, result.body
                    solo.append(result.seconds)
            for client in [resident, *volunteers]:
                client.close()

    contended = winners + losers
    print(
        f"trip claims: {ROUNDS} rounds of {VOLUNTEERS} volunteers claiming one trip at once "
        f"(one winner, {VOLUNTEERS - 1} x 409 trip_taken every round), real HTTP, SQLite"
    )
    print(line("winners", winners))
    print(line("losers (409)", losers))
    print(line("all contended claims", contended))
    print(line("uncontended claim", solo))
    base50, base99 = percentile(solo, 0.5), percentile(solo, 0.99)
    print(
        f"ratio contended / uncontended: p50 {percentile(contended, 0.5) / base50:.1f}x, "
        f"p99 {percentile(contended, 0.99) / base99:.1f}x; "
        f"winner p50 {percentile(winners, 0.5) / base50:.1f}x"
    )


if __name__ == "__main__":
    main()
