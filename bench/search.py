"""Search latency (issue 5): the index against a naive per-item pinyin scan, side by side.

Not a timed test. For the seed catalogue and for 10,000 synthetic items built from its words,
prints the index build time and memory, then p50 / p99 latency of the same queries through
``services.search.SearchIndex`` and through a naive scan. The scan is the obvious code with no
index and no caching: for every query it calls ``pypinyin.lazy_pinyin`` on every short text of
every item and tests the query against the text, its full pinyin and its initials (so it finds
less than the index: no fuzzy sounds, typos, polyphones or synonyms). The queries are every kind
the index supports (Hanzi, full pinyin, initials, mixed, fuzzy sounds, typos, synonyms,
traditional characters) plus every keystroke of a few typed as you type.

The index is timed warm (each query searched once before the timed rounds, as a person's
session warms the typo tables); the first, cold round is printed on its own line. At 10,000 items
the scan is timed on a sample of the queries: it takes seconds per query.

Run: ``make bench`` (or ``.venv/bin/python bench/search.py``).
"""

from __future__ import annotations

import gc
import json
import random
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pypinyin import Style, lazy_pinyin  # noqa: E402

from services.search import SearchIndex  # noqa: E402
from services.search.normalize import normalize  # noqa: E402

SYNTHETIC_ITEMS = 10_000
SEED = 5
REPEATS = 5  # each query is timed this many times; percentiles are over every timing
TARGET_P99 = 0.002  # seconds, at SYNTHETIC_ITEMS items (issue 5)
TARGET_FASTER = 10  # times faster than the naive scan, at p50 and at p99
SEED_DIR = ROOT / "assets" / "seed"

QUERIES = (
    "残疾人证", "残疾z", "残j人证", "轮椅", "殘疾人證", "護理補貼", "补贴", "找工作", "盲人",
    "阳光心园", "康复", "法律援助", "浦东", "canjirenzheng", "can ji ren zheng", "cjrz",
    "canjirenzeng", "canjirenzhenh", "zhongdu", "chongdu", "changning", "falvyuanzhu",
    "faluyuanzhu", "kangfu", "kf", "hulibutie", "hlbt", "jiuye", "shouyu", "zhumang",
    "lunyi", "nunyi", "fuzhuqiju", "yanguangxinyuan", "daomangquan", "xyzq", "",
)  # fmt: skip
TYPED_AS_YOU_GO = ("canjirenzheng", "hulibutie", "残疾人护理")

Item = tuple[str, dict[str, Any]]


def seed_items() -> list[Item]:
    items: list[Item] = []
    for kind, name in (
        ("service", "services"),
        ("policy", "policies"),
        ("institution", "institutions"),
    ):
        data = json.loads((SEED_DIR / f"{name}.json").read_text(encoding="utf-8"))
        items.extend((kind, item) for item in data)
    return items


def synthetic_items(seed: list[Item], count: int) -> list[Item]:
    """Items made of the seed's own words, so characters and readings are realistic."""
    rng = random.Random(SEED)
    districts = [d["name"] for d in json.loads((SEED_DIR / "districts.json").read_text("utf-8"))]
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for kind, item in seed:
        by_kind.setdefault(kind, []).append(item)
    keywords = sorted({k for _, item in seed for k in item.get("keywords", [])})
    prose = [item.get("description") or item.get("summary") or "" for _, item in seed]
    suffixes = ("", "（试点）", "专项服务", "便民窗口", "延伸服务", "（社区）")
    items: list[Item] = []
    for n in range(count):
        kind = rng.choices(("service", "policy", "institution"), weights=(6, 2, 2))[0]
        base = rng.choice(by_kind[kind])
        district = rng.choice(districts)
        if kind == "service":
            data = {
                "name": district + base["name"] + rng.choice(suffixes),
                "category": base["category"],
                "keywords": rng.sample(keywords, 5),
                "description": rng.choice(prose),
            }
        elif kind == "policy":
            data = {
                "title": f"《{district}{base['title'].strip('《》')}实施细则》",
                "keywords": rng.sample(keywords, 4),
                "issuer": district + "人民政府",
                "summary": rng.choice(prose),
            }
        else:
            data = {
                "name": district + base["name"].removeprefix("上海市") + rng.choice(suffixes),
                "kind": base["kind"],
                "address": f"上海市{district}示例路{rng.randint(1, 999)}号",
            }
        data["id"] = f"{kind}-synthetic-{n:05d}"
        data["popularity"] = rng.randint(0, 100)
        items.append((kind, data))
    return items


class NaiveScan:
    """The obvious way: per query, each item's short texts through lazy_pinyin (no caching)."""

    def __init__(self, items: list[Item]) -> None:
        self.items = items

    def search(self, query: str) -> int:
        q = normalize(query).replace(" ", "")
        if not q:
            return 0
        found = 0
        for _, item in self.items:
            for text in _short_texts(item):
                syllables = lazy_pinyin(text, style=Style.NORMAL)
                if q in text or q in "".join(syllables) or q in "".join(s[:1] for s in syllables):
                    found += 1
                    break
        return found


def _short_texts(item: dict[str, Any]) -> list[str]:
    texts = [item.get("name") or item.get("title") or ""]
    texts += item.get("keywords") or []
    texts += [item.get("category") or item.get("kind") or ""]
    return [t for t in texts if t]


def queries() -> list[str]:
    typed = [word[:n] for word in TYPED_AS_YOU_GO for n in range(1, len(word) + 1)]
    return [*QUERIES, *typed]


def timings(
    search, qs: list[str], repeats: int = REPEATS, cpu: list[float] | None = None
) -> list[float]:
    """Wall-clock seconds per search; with ``cpu``, this thread's CPU seconds are added to it."""
    out = []
    for _ in range(repeats):
        for q in qs:
            start, start_cpu = time.perf_counter(), time.thread_time()
            search(q)
            out.append(time.perf_counter() - start)
            if cpu is not None:
                cpu.append(time.thread_time() - start_cpu)
    return out


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def build(items: list[Item]) -> tuple[SearchIndex, float, float]:
    gc.collect()
    tracemalloc.start()
    start = time.perf_counter()
    index = SearchIndex()
    index.rebuild(items)
    seconds = time.perf_counter() - start
    current, _peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return index, seconds, current / 1e6


def report(label: str, items: list[Item], naive_rounds: int) -> tuple[float, float, float]:
    """Prints the numbers for ``items``; returns the index's p99 and naive / index at p50, p99."""
    index, seconds, megabytes = build(items)
    qs = queries()
    cold = timings(lambda q: index.search(q, limit=20), qs, repeats=1)  # also warms the caches
    cpu: list[float] = []
    ours = timings(lambda q: index.search(q, limit=20), qs, cpu=cpu)
    scan = NaiveScan(items)
    naive_qs = qs if naive_rounds >= len(qs) else random.Random(SEED).sample(qs, naive_rounds)
    theirs = timings(scan.search, naive_qs)
    p50, p99 = percentile(ours, 0.5), percentile(ours, 0.99)
    n50, n99 = percentile(theirs, 0.5), percentile(theirs, 0.99)
    print(f"\n{label}: {len(items):,} items, {len(qs)} queries x {REPEATS}")
    print(f"  index build {seconds:.2f} s, {megabytes:.1f} MB held (tracemalloc)")
    print(
        f"  index  p50 {p50 * 1e3:8.3f} ms   p99 {p99 * 1e3:8.3f} ms   max {max(ours) * 1e3:.3f} ms"
    )
    print(
        f"  (cpu)  p50 {percentile(cpu, 0.5) * 1e3:8.3f} ms   p99 {percentile(cpu, 0.99) * 1e3:8.3f} ms"
        f"   max {max(cpu) * 1e3:.3f} ms   (CPU time of the same searches: without preemption)"
    )
    print(
        f"  cold   p50 {percentile(cold, 0.5) * 1e3:8.3f} ms   p99 {percentile(cold, 0.99) * 1e3:8.3f} ms"
        f"   max {max(cold) * 1e3:.3f} ms   (first search of each query)"
    )
    print(
        f"  naive  p50 {n50 * 1e3:8.3f} ms   p99 {n99 * 1e3:8.3f} ms   ({len(naive_qs)} queries x {REPEATS})"
    )
    print(f"  naive / index: p50 {n50 / p50:,.0f}x, p99 {n99 / p99:,.0f}x")
    slowest = sorted(zip(ours, qs * REPEATS, strict=True), reverse=True)[:5]
    print("  slowest: " + ", ".join(f"{q!r} {t * 1e3:.2f} ms" for t, q in slowest))
    return p99, n50 / p50, n99 / p99


def main() -> None:
    seed = seed_items()
    report("seed catalogue", seed, naive_rounds=10**9)
    p99, faster50, faster99 = report(
        "synthetic", seed + synthetic_items(seed, SYNTHETIC_ITEMS), naive_rounds=8
    )
    met = p99 <= TARGET_P99 and min(faster50, faster99) >= TARGET_FASTER
    print(
        f"\ntarget: p99 <= {TARGET_P99 * 1e3:g} ms at {SYNTHETIC_ITEMS:,} items and >= "
        f"{TARGET_FASTER}x faster than the scan: {'met' if met else 'NOT met'} "
        f"(p99 {p99 * 1e3:.3f} ms, {min(faster50, faster99):,.0f}x)"
    )


if __name__ == "__main__":
    main()
