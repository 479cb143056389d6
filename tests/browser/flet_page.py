"""Drive the Flet web build through its semantics tree (DESIGN.md §6), the way a screen reader sees it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import httpx
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    Request,
    Response,
)

from bench.at_once import TLS

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
# As the machine notes say: without the background-networking flags Chromium calls home.
# With no GPU, WebGL would be SwiftShader emulating one; without WebGL (--disable-3d-apis)
# CanvasKit draws with its own CPU rasteriser instead: the same pixels (every audit screenshot
# compared equal) for about 30 % less of Chromium's CPU, most of the browser tests' cost.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-3d-apis",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# What CanvasKit says once because CHROMIUM_ARGS leave it no WebGL: the harness, not the app.
HARNESS_WARNING = "Falling back to CPU-only rendering"
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
# Flutter writes announcements into aria-live elements and clears them soon after; record
# every text that passes through them, as a screen reader would have heard it.
# And how long each stayed there, until a newer one replaced it or the region was emptied.
RECORD_ANNOUNCEMENTS = """
window.__announcements = [];
window.__announcementSpans = [];
(() => {
  const shown = new Map();  // live element -> {raw, since}: the text it holds, since when
  new MutationObserver(records => {
    for (const r of records) {
      const el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
      const live = el && el.closest('[aria-live]');
      if (!live) continue;
      // Untrimmed: Flutter tells a repeated sentence from the last by a trailing no-break space.
      const raw = live.textContent;
      const before = shown.get(live);
      if (before && before.raw !== raw) {
        window.__announcementSpans.push({text: before.raw.trim(), ms: performance.now() - before.since,
                                         ended: raw.trim() ? 'replaced' : 'emptied'});
        shown.delete(live);
      }
      if (raw.trim() && !shown.has(live)) {
        window.__announcements.push(raw.trim());
        shown.set(live, {raw, since: performance.now()});
      }
    }
  }).observe(document, {subtree: true, childList: true, characterData: true});
})();
"""


ALL_SENT = "您的操作已全部发送"
SEMANTICS_TEXT_JS = (
    "() => { const h = document.querySelector('flt-semantics-host');"
    " return h ? h.textContent : ''; }"
)


class AppProcess:
    """``python main.py --web`` in a subprocess with its own data dir; stopped with SIGINT."""

    def __init__(
        self,
        port: int,
        data_dir: Path,
        log_path: Path,
        *extra_args: str,
        env: dict[str, str] | None = None,
    ) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}/"
        self.log_path = log_path
        full_env = {**os.environ, "SUNSHINE_DATA_DIR": str(data_dir), **(env or {})}
        self._log = log_path.open("wb")
        self.started_at = time.monotonic()
        self.process = subprocess.Popen(
            [sys.executable, "main.py", "--web", "--port", str(port), *extra_args],
            cwd=REPO_ROOT,
            env=full_env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def wait_until_serving(self, timeout: float = 60) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"app exited early:\n{self.log()}")
            try:
                if httpx.get(self.url, timeout=1, verify=TLS).status_code == 200:
                    return time.monotonic() - self.started_at
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise TimeoutError(f"app not serving on {self.url}:\n{self.log()}")

    def interrupt(self) -> None:
        """Ask the app to stop (Ctrl-C), without waiting for it."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)

    def stop(self, timeout: float = 20) -> int:
        if self.process.poll() is None:
            self.interrupt()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
        return self.process.returncode

    def log(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(errors="replace")


@dataclass
class NetworkLog:
    """Everything the page asked for, so tests can prove nothing left the machine."""

    requests: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)

    def on_request(self, request: Request) -> None:
        self.requests.append(request.url)

    def on_response(self, response: Response) -> None:
        if response.status >= 400:
            self.failures.append(f"{response.status} {response.url}")

    def on_request_failed(self, request: Request) -> None:
        self.failures.append(f"failed {request.url} {request.failure}")

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type in ("error", "warning") and HARNESS_WARNING not in message.text:
            self.console.append(f"{message.type}: {message.text}")

    def external_requests(self) -> list[str]:
        return [
            url
            for url in self.requests
            if urlparse(url).scheme in ("http", "https", "ws", "wss")
            and urlparse(url).hostname not in LOOPBACK_HOSTS
        ]


class Tabs:
    """The tests' Chromium: one profile kept on disk for the run, so the web build's 9.5 MB
    ``main.dart.js`` and CanvasKit's wasm come from V8's code cache after the first loads (a
    page load costs about 5 s of CPU without it and under 3 s with it; an incognito context
    has no code cache). Nothing of the app is kept in the browser's storage, so tabs sharing
    the profile share nothing that matters.

    The profile is one window: a tab opened while another of its tabs is still open (two
    people in one test), or in another time zone, gets a window of its own instead, as each
    tab had before, so each keeps its own keyboard focus."""

    def __init__(self, playwright: Playwright, profile: Path) -> None:
        self._playwright = playwright
        self.context: BrowserContext = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        self._others: Browser | None = None
        self.opened: list[Page] = []

    def new_page(self, *, viewport: dict[str, int], timezone_id: str | None = None) -> Page:
        busy = any(p.context is self.context and not p.is_closed() for p in self.opened)
        if timezone_id is None and not busy:
            page = self.context.new_page()
            page.set_viewport_size(viewport)
        else:
            if self._others is None:
                self._others = self._playwright.chromium.launch(
                    executable_path=CHROMIUM, args=CHROMIUM_ARGS
                )
            page = self._others.new_page(viewport=viewport, timezone_id=timezone_id)
        self.opened.append(page)
        return page

    def close_since(self, first: int) -> None:
        """Close every tab opened since ``len(self.opened)`` was ``first``."""
        for page in self.opened[first:]:
            if not page.is_closed():
                page.close()
        del self.opened[first:]

    def close(self) -> None:
        self.context.close()
        if self._others is not None:
            self._others.close()


class FletPage:
    """One browser tab on the app, addressed by semantics identifiers."""

    def __init__(
        self,
        browser: Browser | Tabs,
        url: str,
        *,
        width: int = 800,
        height: int = 1000,
        timezone_id: str | None = None,
    ) -> None:
        self.network = NetworkLog()
        # ``timezone_id``: the browser's own zone, as on a resident's phone set to another zone.
        self.page: Page = browser.new_page(
            viewport={"width": width, "height": height}, timezone_id=timezone_id
        )
        self.page.on("request", self.network.on_request)
        self.page.on("response", self.network.on_response)
        self.page.on("requestfailed", self.network.on_request_failed)
        self.page.on("console", self.network.on_console)
        self.page.add_init_script(RECORD_ANNOUNCEMENTS)
        self.url = url

    def open(self, timeout_ms: float = 60_000) -> None:
        self.page.goto(self.url)
        self.page.wait_for_selector(
            "flt-semantics-placeholder", state="attached", timeout=timeout_ms
        )
        # Flutter builds the DOM semantics tree only once assistive tech asks for it.
        self.page.evaluate("document.querySelector('flt-semantics-placeholder').click()")

    def node(self, identifier: str):
        return self.page.locator(f'[flt-semantics-identifier="{identifier}"]')

    def wait_for(self, identifier: str, timeout_ms: float = 30_000) -> None:
        self.node(identifier).first.wait_for(state="attached", timeout=timeout_ms)

    def activate(self, identifier: str) -> None:
        self.node(identifier).first.click()

    def identifiers(self) -> list[str]:
        return self.page.evaluate(
            "() => [...document.querySelectorAll('[flt-semantics-identifier]')]"
            ".map(e => e.getAttribute('flt-semantics-identifier'))"
        )

    def text_of(self, identifier: str) -> str:
        return self.node(identifier).first.text_content() or ""

    def headings(self, level: int = 1) -> list[str]:
        return self.page.evaluate(
            f"() => [...document.querySelectorAll('h{level}')].map(e => e.textContent.trim())"
        )

    def announcements(self) -> list[str]:
        """Everything announced through live regions since the page was opened."""
        return self.page.evaluate("() => window.__announcements")

    def announcement_spans(self) -> list[dict]:
        """Each announcement that has left its live region: ``text``, ``ms`` it stayed, and
        whether a newer one ``replaced`` it or the region was ``emptied``."""
        return self.page.evaluate("() => window.__announcementSpans")

    def wait_for_announcement(self, fragment: str, timeout_s: float = 30, since: int = 0) -> str:
        """The latest announcement holding ``fragment``, among those after the first ``since``."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            heard = [a for a in self.announcements()[since:] if fragment in a]
            if heard:
                return heard[-1]
            self.page.wait_for_timeout(200)
        raise AssertionError(f"never announced {fragment!r}; heard {self.announcements()!r}")

    def wait_until_sent(self, timeout_s: float = 60) -> None:
        """Until the screen says every action has been sent (the status of the action just
        taken changes to it; it is announced only after time offline)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if ALL_SENT in self.page.evaluate(SEMANTICS_TEXT_JS):
                return
            self.page.wait_for_timeout(200)
        raise AssertionError(f"never said {ALL_SENT!r}: {self.page.evaluate(SEMANTICS_TEXT_JS)}")

    def wait_for_text(self, identifier: str, fragment: str, timeout_s: float = 30) -> str:
        deadline = time.monotonic() + timeout_s
        text = ""
        while time.monotonic() < deadline:
            text = self.text_of(identifier) if self.node(identifier).count() else ""
            if fragment in text:
                return text
            self.page.wait_for_timeout(200)
        raise AssertionError(f"{identifier!r} never contained {fragment!r}; last text: {text!r}")

    def screenshot(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(path))
        return path


FOCUSED_NODE = """() => {
  let e = document.activeElement;
  while (e && e.tagName !== 'FLT-SEMANTICS' && e.parentElement) e = e.parentElement;
  if (!e || e.tagName !== 'FLT-SEMANTICS') return null;
  return {role: e.getAttribute('role'), name: e.getAttribute('aria-label') || e.textContent.trim(),
          identifier: e.getAttribute('flt-semantics-identifier') ||
                      (e.parentElement && e.parentElement.getAttribute('flt-semantics-identifier'))};
}"""


def focused(page: FletPage) -> dict | None:
    """The semantics node holding keyboard focus: its role, name and identifier hook."""
    return page.page.evaluate(FOCUSED_NODE)


FOCUS_KEY = (
    f"() => {{ const n = ({FOCUSED_NODE})(); return n ? n.identifier + '|' + n.name : ''; }}"
)


def tab_to(page: FletPage, identifier: str, *, limit: int = 40) -> None:
    """Press Tab until the node ``identifier`` holds the focus; each press waits until the
    focus has moved (fails after ``limit`` presses)."""
    for _ in range(limit):
        before = page.page.evaluate(FOCUS_KEY)
        page.page.keyboard.press("Tab")
        page.page.wait_for_function(f"(before) => ({FOCUS_KEY})() !== before", arg=before)
        if (focused(page) or {}).get("identifier") == identifier:
            return
    raise AssertionError(f"{identifier!r} not reached in {limit} Tabs; at {focused(page)!r}")


def wait_for_focus(page: FletPage, identifier: str, timeout_ms: float = 30_000) -> None:
    """Until the node ``identifier`` holds the keyboard focus."""
    page.page.wait_for_function(
        f"(id) => {{ const n = ({FOCUSED_NODE})(); return n && n.identifier === id; }}",
        arg=identifier,
        timeout=timeout_ms,
    )
