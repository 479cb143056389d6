"""Load (issue 18): 500 residents and volunteers using Sunshine at once, on PostgreSQL with two
worker processes and on SQLite with one, one after the other in one run.

Not a timed test. For each engine: a new database, the server started as a deployment starts it
(``uvicorn --factory backend.main:create_app``, dev mode for the demo catalogue and events and
the dev sign-in code), every user signed in and every volunteer registered (not measured), then
for ``DURATION`` seconds each user repeats: think 1-5 s, then one thing a person does in the
app, drawn by weight (a catalogue delta pull, ``/me``, their lists, an event's page; now and then
a trip request, a sign-up or a cancellation; volunteers look at open trips and claim one).
Each user has their own keep-alive connection, as each phone does, and already has the
catalogue (fetched before the measurement, as the app did when installed).

Prints per engine: requests/s, errors (transport failures, 5xx, and 401/422/429 answers, which
no well-behaved client should get; a 409 such as ``trip_taken`` is an answer), p50/p95/p99 per
endpoint and overall, and the CPU seconds of the server processes and of this load generator.
The issue's targets (PostgreSQL): p95 <= 200 ms, p99 <= 500 ms, 0 errors.

Run: ``.venv/bin/python bench/load.py [--users N] [--seconds S] [--engines postgresql,sqlite]``.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.at_once import API, TLS  # noqa: E402
from bench.deployed import DEV_CODE, deployed_server, own_cpu_seconds  # noqa: E402
from bench.trips import percentile  # noqa: E402
from tools.pg_cluster import running_cluster  # noqa: E402

VOLUNTEER_SHARE = 0.2
THINK_SECONDS = (1.0, 5.0)
EXPECTED_REFUSALS = {409, 404, 403}  # answers a real client also gets (trip taken, full, ...)
DEMO_EVENTS = ("evt-waitlist-demo", "evt-accessible-film", "evt-rehab-talk", "evt-job-fair")


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    failures: Counter[str] = field(default_factory=Counter)  # what the errors were

    async def call(
        self, client: httpx.AsyncClient, label: str, method: str, path: str, **kwargs: object
    ) -> httpx.Response | None:
        started = time.perf_counter()
        try:
            response = await client.request(method, f"{API}{path}", **kwargs)  # type: ignore[arg-type]
        except httpx.HTTPError as error:
            self.errors[label] += 1
            self.failures[f"{label}: {type(error).__name__}"] += 1
            return None
        self.latencies[label].append((time.perf_counter() - started) * 1000)
        if response.status_code >= 500 or (
            response.status_code >= 400 and response.status_code not in EXPECTED_REFUSALS
        ):
            self.errors[label] += 1
            code = response.json().get("code", "") if response.content else ""
            self.failures[f"{label}: {response.status_code} {code}"] += 1
        return response


@dataclass
class User:
    n: int
    client: httpx.AsyncClient
    volunteer: bool
    cursor: str | None = None
    trips: list[str] = field(default_factory=list)
    signed_up: list[str] = field(default_factory=list)

    @property
    def phone(self) -> str:
        return f"1{'37' if self.volunteer else '39'}{self.n:08d}"


def _write(extra: dict[str, str] | None = None) -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4()), **(extra or {})}


async def sign_in(user: User) -> None:
    response = await user.client.post(
        f"{API}/auth/token", json={"phone": user.phone, "code": DEV_CODE}, headers=_write()
    )
    response.raise_for_status()
    user.client.headers["Authorization"] = f"Bearer {response.json()['access_token']}"
    if user.volunteer:
        form = {
            "real_name": f"志愿者{user.n}",
            "id_number": "11010519491231002X",
            "phone": user.phone,
            "skills": ["sighted_guide", "wheelchair"],
            "districts": ["310101", "310104"],
            "availability": ["weekend"],
        }
        registered = await user.client.post(f"{API}/volunteers", json=form, headers=_write())
        registered.raise_for_status()


async def pull_catalogue(user: User, stats: Stats) -> None:
    params = {"limit": "200", **({"cursor": user.cursor} if user.cursor else {})}
    label = "GET /catalog/changes (delta)"
    response = await stats.call(user.client, label, "GET", "/catalog/changes", params=params)
    if response is not None and response.status_code == 200:
        user.cursor = response.json().get("next_cursor") or user.cursor


async def first_pull(user: User) -> None:
    """The whole catalogue, as the app fetched it when it was installed (not measured)."""
    while True:
        params = {"limit": "500", **({"cursor": user.cursor} if user.cursor else {})}
        response = await user.client.get(f"{API}/catalog/changes", params=params)
        response.raise_for_status()
        page = response.json()
        user.cursor = page["next_cursor"]
        if not page["has_more"]:
            return


async def ask_for_trip(user: User, stats: Stats) -> None:
    start = datetime.now(UTC) + timedelta(hours=random.uniform(3, 72))
    body = {
        "from_place": "人民广场地铁站 1 号口",
        "to_place": "瑞金医院门诊楼",
        "start_at": start.isoformat(),
        "district": random.choice(["310101", "310104"]),
        "needs": ["sighted_guide"],
        "contact_phone": user.phone,
    }
    response = await stats.call(
        user.client, "POST /trips", "POST", "/trips", json=body, headers=_write()
    )
    if response is not None and response.status_code == 201:
        user.trips.append(response.json()["id"])


async def claim_one(user: User, stats: Stats) -> None:
    response = await stats.call(user.client, "GET /trips/open", "GET", "/trips/open")
    if response is None or response.status_code != 200:
        return
    items = response.json()["items"]
    if items:
        trip = random.choice(items[:5])["id"]
        await stats.call(
            user.client, "POST /trips/{id}/claim", "POST", f"/trips/{trip}/claim", headers=_write()
        )


async def sign_up_or_cancel(user: User, stats: Stats) -> None:
    if user.signed_up and random.random() < 0.5:
        event = user.signed_up.pop()
        await stats.call(
            user.client,
            "DELETE /events/{id}/signups/me",
            "DELETE",
            f"/events/{event}/signups/me",
            headers=_write(),
        )
        return
    event = random.choice(DEMO_EVENTS)
    response = await stats.call(
        user.client,
        "POST /events/{id}/signups",
        "POST",
        f"/events/{event}/signups",
        json={"id": str(uuid.uuid4())},
        headers=_write(),
    )
    if response is not None and response.status_code in (200, 201):
        user.signed_up.append(event)


async def one_action(user: User, stats: Stats) -> None:
    client = user.client
    roll = random.random()
    if roll < 0.20:
        await pull_catalogue(user, stats)
    elif roll < 0.35:
        await stats.call(client, "GET /me", "GET", "/me")
    elif roll < 0.50:
        await stats.call(client, "GET /me/notifications", "GET", "/me/notifications")
    elif roll < 0.60:
        await stats.call(client, "GET /me/signups", "GET", "/me/signups")
    elif roll < 0.70:
        event = random.choice(DEMO_EVENTS)
        await stats.call(client, "GET /events/{id}", "GET", f"/events/{event}")
    elif roll < 0.78:
        await stats.call(client, "GET /trips/mine", "GET", "/trips/mine")
    elif roll < 0.86:
        await stats.call(client, "GET /me/inbox", "GET", "/me/inbox")
    elif user.volunteer:
        await claim_one(user, stats)
    elif roll < 0.93:
        await sign_up_or_cancel(user, stats)
    else:
        await ask_for_trip(user, stats)


async def session(user: User, stats: Stats, until: float) -> None:
    while True:
        await asyncio.sleep(random.uniform(*THINK_SECONDS))
        if time.monotonic() >= until:
            return
        await one_action(user, stats)


async def run_load(url: str, users: int, seconds: float) -> tuple[Stats, float]:
    stats = Stats()
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    people = [
        User(
            n,
            httpx.AsyncClient(base_url=url, timeout=30, limits=limits, verify=TLS),
            n < users * VOLUNTEER_SHARE,
        )
        for n in range(users)
    ]
    gate = asyncio.Semaphore(25)

    async def signed(user: User) -> None:
        async with gate:
            await sign_in(user)
            await first_pull(user)

    await asyncio.gather(*(signed(u) for u in people))
    started = time.monotonic()
    await asyncio.gather(*(session(u, stats, started + seconds) for u in people))
    elapsed = time.monotonic() - started
    await asyncio.gather(*(u.client.aclose() for u in people))
    return stats, elapsed


def report(
    engine: str, workers: int, stats: Stats, elapsed: float, server_cpu: float, load_cpu: float
) -> None:
    every = [v for values in stats.latencies.values() for v in values]
    errors = sum(stats.errors.values())
    print(f"\n== {engine}, {workers} worker process(es) ==")
    print(
        f"{len(every)} requests in {elapsed:.0f} s = {len(every) / elapsed:.1f} requests/s; "
        f"errors: {errors}"
    )
    print(f"CPU seconds: server {server_cpu:.1f}, load generator {load_cpu:.1f}")
    print(f"{'endpoint':38} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>6}")
    for label in sorted(stats.latencies):
        values = stats.latencies[label]
        print(
            f"{label:38} {len(values):6} {percentile(values, 0.5):8.1f} "
            f"{percentile(values, 0.95):8.1f} {percentile(values, 0.99):8.1f} {stats.errors[label]:6}"
        )
    print(
        f"{'all':38} {len(every):6} {percentile(every, 0.5):8.1f} {percentile(every, 0.95):8.1f} "
        f"{percentile(every, 0.99):8.1f} {errors:6}"
    )
    for failure, count in stats.failures.most_common():
        print(f"  error: {failure} x{count}")


def measure(
    engine: str, db_url: str, workers: int, users: int, seconds: float, data_dir: Path
) -> None:
    with deployed_server(db_url, workers, data_dir) as server:
        server_before, load_before = server.cpu_seconds(), own_cpu_seconds()
        stats, elapsed = asyncio.run(run_load(server.url, users, seconds))
        server_cpu = server.cpu_seconds() - server_before
        load_cpu = own_cpu_seconds() - load_before
    report(engine, workers, stats, elapsed, server_cpu, load_cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--engines", default="postgresql,sqlite")
    args = parser.parse_args()
    engines = args.engines.split(",")
    print(
        f"{args.users} users ({VOLUNTEER_SHARE:.0%} volunteers), {args.seconds:.0f} s each engine"
    )
    with tempfile.TemporaryDirectory(prefix="sunshine-load-") as tmp:
        data = Path(tmp)
        if "postgresql" in engines:
            with running_cluster(max_connections=1000) as cluster:
                measure(
                    "PostgreSQL",
                    cluster.create_database(),
                    2,
                    args.users,
                    args.seconds,
                    data / "pg",
                )
        if "sqlite" in engines:
            db = f"sqlite:///{data / 'load.sqlite3'}"
            measure("SQLite", db, 1, args.users, args.seconds, data / "sqlite")


if __name__ == "__main__":
    main()
