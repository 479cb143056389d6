"""Per-screen accessibility table (DESIGN.md §5) for every route, in every display mode.

Runs the same audit as tests/browser/test_a11y_audit.py (tests/browser/a11y_audit.py): one app
per mode, each with its own temporary data dir holding the mode's preferences.json, driven in
Debian's headless Chromium through the semantics tree. Prints a Markdown table and writes it,
with every problem spelt out, to test-artifacts/a11y-report.md (screenshots to
test-artifacts/a11y/).

Run: ``make a11y-report`` (or ``.venv/bin/python tools/a11y_report.py [--mode standard ...]``).
Exits 0 whatever it finds unless ``--strict`` is given.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "browser")]

from a11y_audit import CONFIGS, AuditConfig, ScreenAudit, audit_route, fmt, settle  # noqa: E402
from flet_page import CHROMIUM, CHROMIUM_ARGS, AppProcess, FletPage  # noqa: E402
from playwright.sync_api import Browser, sync_playwright  # noqa: E402

from app.routes import ROUTES  # noqa: E402
from backend.embedded import free_port  # noqa: E402

ARTIFACTS = ROOT / "test-artifacts"
COLUMNS = (
    "screen",
    "mode",
    "controls",
    "named",
    "smallest target",
    "lowest contrast",
    "h1",
    "tab reach",
    "axe violations",
    "title",
    "focus after navigating",
    "choices",
)


def start_app(config: AuditConfig, work: Path, cache_dir: Path) -> AppProcess:
    data_dir = work / f"data-{config.name}"
    config.write_preferences(data_dir)
    return AppProcess(
        free_port(),
        data_dir,
        work / f"{config.name}.log",
        env={"SUNSHINE_CACHE_DIR": str(cache_dir)},
    )


def audit_mode(browser: Browser, app: AppProcess, config: AuditConfig) -> list[ScreenAudit]:
    app.wait_until_serving(timeout=120)
    page = FletPage(browser, app.url, width=config.width, height=config.height)
    try:
        page.open()
        page.wait_for("screen-home")
        page.wait_for("district-310101", timeout_ms=60_000)  # the catalogue has arrived
        settle(page)
        audits = []
        for route in ROUTES:
            started = time.monotonic()
            audit = audit_route(
                page, app.url, config, route.pattern, route.identifier, ARTIFACTS / "a11y"
            )
            audits.append(audit)
            verdict = "ok" if not audit.problems() else f"{len(audit.problems())} problem(s)"
            print(
                f"  {config.name:<10} {route.pattern:<18} {verdict} "
                f"({time.monotonic() - started:.1f} s)",
                file=sys.stderr,
                flush=True,
            )
        return audits
    finally:
        page.page.close()


def cell(audit: ScreenAudit, column: str, labels: dict[str, str]) -> str:
    mark = " ✗"
    if column == "screen":
        return f"`{audit.route}`"
    if column == "mode":
        return labels.get(audit.config, audit.config)
    if column == "controls":
        return str(audit.controls)
    if column == "named":
        return f"{audit.named}/{audit.controls}" + (mark if audit.unnamed else "")
    if column == "smallest target":
        if audit.smallest_target is None:
            return "—"
        w, h = audit.smallest_target
        return f"{fmt(w)}×{fmt(h)} (≥{fmt(audit.min_target)})" + (
            mark if audit.small_targets else ""
        )
    if column == "lowest contrast":
        if audit.lowest_contrast is None:
            return "—"
        return f"{audit.lowest_contrast:.2f}:1 (≥{fmt(audit.min_contrast)})" + (
            mark if audit.low_contrast else ""
        )
    if column == "h1":
        return str(audit.h1_count) + (mark if audit.h1_count != 1 else "")
    if column == "tab reach":
        return f"{audit.tab_reached}/{audit.controls}" + (mark if audit.tab_unreached else "")
    if column == "axe violations":
        return str(len(audit.axe_violations)) + (mark if audit.axe_violations else "")
    if column == "title":
        return audit.title + (mark if audit.title != audit.expected_title else "")
    if column == "focus after navigating":
        return audit.focus_after_navigation.replace("|", "/") + (
            mark if not audit.focus_named else ""
        )
    if column == "choices":
        if not audit.choice_groups:
            return "—"
        wrong = [p for p in audit.problems() if p.startswith("choice group")]
        chosen = ", ".join(f"{c}/{n}" for c, n in audit.choice_groups.values())
        return chosen + (mark if wrong else "")
    raise ValueError(column)


def markdown(audits: list[ScreenAudit], configs: list[AuditConfig]) -> str:
    labels = {c.name: f"{c.label} ({c.name})" if c.label else c.name for c in configs}
    order = {r.identifier: i for i, r in enumerate(ROUTES)}
    mode_order = {c.name: i for i, c in enumerate(configs)}
    rows = sorted(audits, key=lambda a: (order.get(a.identifier, 99), mode_order[a.config]))
    lines = [
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "|".join("---" for _ in COLUMNS) + "|",
    ]
    lines += ["| " + " | ".join(cell(a, c, labels) for c in COLUMNS) + " |" for a in rows]
    widths = sorted({f"{a.viewport[0]} px" for a in audits})
    table = "\n".join(lines)
    header = (
        "# Accessibility audit (DESIGN.md §5)\n\n"
        f"Every route of app/routes.py, at {', '.join(widths)} wide; ✗ marks a failure. Targets are "
        "CSS px (w×h); contrast is measured from screenshot pixels inside each text node's box.\n"
    )
    problems = []
    for audit in rows:
        found = audit.problems()
        if found:
            problems.append(f"\n### `{audit.route}` — {labels[audit.config]}\n")
            problems += [f"- {p}" for p in found]
    tail = "\n## Problems\n" + ("\n".join(problems) if problems else "\nNone.") + "\n"
    return f"{header}\n{table}\n{tail}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--mode",
        action="append",
        choices=[c.name for c in CONFIGS],
        help="only this mode (repeatable; default: all)",
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 if any problem is found")
    parser.add_argument("--out", type=Path, default=ARTIFACTS / "a11y-report.md")
    args = parser.parse_args(argv)
    configs = [c for c in CONFIGS if not args.mode or c.name in args.mode]
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is missing: `make test` installs Debian's chromium", file=sys.stderr)
        return 2

    started = time.monotonic()
    audits: list[ScreenAudit] = []
    with tempfile.TemporaryDirectory(prefix="sunshine-a11y-") as tmp:
        work = Path(tmp)
        cache_dir = work / "cache"
        # The first app builds the web overlay; the others start once it is there.
        apps: dict[str, AppProcess] = {}
        try:
            first = configs[0]
            apps[first.name] = start_app(first, work, cache_dir)
            apps[first.name].wait_until_serving(timeout=180)
            for config in configs[1:]:
                apps[config.name] = start_app(config, work, cache_dir)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    for config in configs:
                        audits += audit_mode(browser, apps[config.name], config)
                finally:
                    browser.close()
        finally:
            for app in apps.values():
                app.stop()

    report = markdown(audits, configs)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")
    print(report)
    failing = sum(1 for a in audits if a.problems())
    print(
        f"{len(audits)} screen×mode audits, {failing} with problems, "
        f"{time.monotonic() - started:.0f} s; written to {args.out}",
        file=sys.stderr,
    )
    return 1 if args.strict and failing else 0


if __name__ == "__main__":
    raise SystemExit(main())
