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
import threading
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from backend.core.config import Settings  # noqa: E402
from backend.embedded import EmbeddedBackend  # noqa: E402

DEV_CODE = "246810"
API = "/api/v1"
VOLUNTEERS = 50
ROUNDS = 20
SOLO_PER_ROUND = 3  # uncontended claims timed after each contended round
RESIDENT_PHONE = "13800000001"  # the demo resident
TIMEOUT = 60.0


def signed_in(url: str, phone: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=TIMEOUT)
    response = client.post(f"{API}/auth/token", json={"phone": phone, "code": DEV_CODE})
    response.raise_for_status()
    client.headers["Authorization"] = f"Bearer {response.json()['access_token']}"
    return client


def volunteer(url: str, n: int) -> httpx.Client:
    phone = f"1370000{n:04d}"
    client = signed_in(url, phone)
    response = client.post(
        f"{API}/volunteers",
        json={
            "real_name": f"志愿者{n}",
            "id_number": "11010519491231002X",
            "phone": phone,
            "skills": ["sighted_guide"],
            "districts": ["310101"],
            "availability": ["weekend"],
        },
    )
    assert response.status_code == 201 and response.json()["status"] == "verified", response.text
    return client


def publish(resident: httpx.Client, n: int) -> str:
    start = datetime.now(UTC) + timedelta(hours=2, minutes=n)
    response = resident.post(
        f"{API}/trips",
        json={
            "from_place": f"基准起点 {n}",
            "to_place": "瑞金医院",
            "start_at": start.isoformat(),
            "district": "310101",
            "needs": ["sighted_guide"],
            "contact_phone": RESIDENT_PHONE,
        },
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


def timed_claim(client: httpx.Client, trip_id: str) -> tuple[int, str, float]:
    """(status, problem code or "", seconds) of one claim."""
    headers = {"Idempotency-Key": str(uuid.uuid4())}
    started = time.perf_counter()
    response = client.post(f"{API}/trips/{trip_id}/claim", headers=headers)
    seconds = time.perf_counter() - started
    code = response.json().get("code", "") if response.status_code != 200 else ""
    return response.status_code, code, seconds


def contended_round(volunteers: list[httpx.Client], trip_id: str) -> list[tuple[int, str, float]]:
    barrier = threading.Barrier(len(volunteers))
    results: list[tuple[int, str, float] | None] = [None] * len(volunteers)

    def run(n: int) -> None:
        barrier.wait()
        results[n] = timed_claim(volunteers[n], trip_id)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(volunteers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(r is not None for r in results)
    done = [r for r in results if r is not None]
    outcomes = Counter((status, code) for status, code, _ in done)
    assert outcomes == {(200, ""): 1, (409, "trip_taken"): len(volunteers) - 1}, outcomes
    return done


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
            data_dir=Path(tmp), dev_login_code=DEV_CODE, auto_verify_volunteers=True
        )
        with EmbeddedBackend(settings) as backend:
            resident = signed_in(backend.url, RESIDENT_PHONE)
            volunteers = [volunteer(backend.url, n) for n in range(VOLUNTEERS)]
            for client in volunteers:  # connections open before the first round
                client.get(f"{API}/health").raise_for_status()
            winners: list[float] = []
            losers: list[float] = []
            solo: list[float] = []
            published = 0
            for round_ in range(ROUNDS):
                trip_id = publish(resident, published)
                published += 1
                for status, _code, seconds in contended_round(volunteers, trip_id):
                    (winners if status == 200 else losers).append(seconds)
                for k in range(SOLO_PER_ROUND):
                    trip_id = publish(resident, published)
                    published += 1
                    status, code, seconds = timed_claim(
                        volunteers[(round_ + k) % VOLUNTEERS], trip_id
                    )
                    assert status == 200, code
                    solo.append(seconds)
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
