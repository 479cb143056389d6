"""DESIGN.md §5 measured on one screen of the web build, the way assistive tech and a keyboard meet it.

The audit reads Flutter's DOM semantics tree (``flt-semantics-host``), Chromium's own accessibility
tree (for accessible names), one screenshot (for contrast: the text is drawn on a canvas, so axe
cannot see it) and real Tab key presses. It changes nothing in the app: it presses Tab, keeps
its list of controls in ``window.__a11yControls`` and injects axe-core into the page.

What Flutter web 1.0 (Flet 1.0.5, CanvasKit) exposes, found on the running app and on a probe app
with every control kind:

- Buttons (``FilledButton``, ``OutlinedButton``, ``IconButton``, ``TextButton``): ``flt-semantics``
  with ``role="button" tabindex="0" flt-tappable``; the name is the element's text content (the
  label, or an ``Icon(semantics_label=…)``). A ``tooltip`` becomes ``aria-label`` on the *parent*
  wrapper, which has no role, so the button itself stays nameless (DESIGN.md §5 says the same).
- Checkbox, Switch, Radio, Tab: ``role`` checkbox/switch/radio/tab with ``aria-label`` = label.
- TextField: a real ``<input data-semantics-role="text-field">`` (``<textarea>`` if multiline)
  inside a ``flt-semantics`` node; ``label`` (or ``hint_text``) becomes its ``aria-label``.
- Slider: ``<input type="range" role="slider">`` with no name unless the app gives one.
- Dropdown: ``role="button" aria-expanded tabindex="0"`` with no name, and Tab passes it by.
- A clickable ``Container``: ``role="button" flt-tappable`` but no ``tabindex``: Tab never gets there.
- Radio: each radio is ``role="radio"`` in a ``role="radiogroup"``; Tab enters the group once
  (spending one press on the group's own focus node) and arrow keys move inside it, so a radio
  group counts as reached when one of its radios is.
- ``Semantics(header=True, heading_level=n)`` is an ``<hn>`` element; ``link=True`` an ``<a>``.
- Text is ``flt-semantics`` (or ``<hn>``) holding a ``<span>``; its box is the text's layout box.
So the accessible name is taken from Chromium's accessibility tree (CDP
``Accessibility.getPartialAXTree``), which applies exactly these rules (aria-label, then content,
then ``<label>``/title/placeholder for inputs), rather than re-implemented here.

Keyboard (verified by recording ``keydown`` and ``focusin`` on the running app): with semantics on,
Flutter's framework handles Tab itself — the keydown's default is prevented, its focus traversal
moves to the next focusable widget, draws the focus highlight on the canvas, and the engine then
calls ``focus()`` on that node's semantics element. So ``document.activeElement`` follows Flutter's
keyboard focus one to one, and wraps from the last control to the first. Where Flutter has nowhere
else to go (a screen with a single control) it leaves the key to the browser, and focus goes to
``<body>`` and back. Either way, the semantics element that holds DOM focus is the control a
keyboard user is on; that is what the Tab walk records.

Contrast: for each leaf text node (own text or aria-label, no descendant node with text) the box
is cut from the screenshot; the background is its most frequent colour, the text colour the one
farthest in luminance from it among colours covering at least 2 % of the other pixels (anti-
aliasing blends lie between the two, so they never win; the floor drops stray pixels).

Off-screen: Flutter clips semantics rects to their clipping ancestor, so a line that runs off a
Row or off the screen still has a box inside the viewport. A box outside the viewport is therefore
reported, and so is a text whose glyphs are cut by the right edge of its box or of the screen
(see ``cut_off_at``). Only the horizontal direction counts: the viewport is tall on purpose.
"""

from __future__ import annotations

import io
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from flet_page import REPO_ROOT, FletPage
from PIL import Image

from accessibility.contrast import contrast_ratio, relative_luminance
from accessibility.semantics import OPTIONAL_CHOICES
from accessibility.theme import look_for
from app.i18n import current_language, set_language
from app.routes import window_title

# --- modes ---------------------------------------------------------------------------------------

DEFAULT_PREFERENCES: dict[str, Any] = {
    "large_text": False,
    "high_contrast": False,
    "text_scale": 1.0,
    "tts_enabled": True,
    "language": "zh_CN",
}


@dataclass(frozen=True)
class AuditConfig:
    """One display mode: the viewport it is measured in and DESIGN.md §5's thresholds for it."""

    name: str
    width: int
    height: int
    min_target: float
    min_contrast: float
    preferences: dict[str, Any] = field(default_factory=dict)  # over DEFAULT_PREFERENCES
    label: str = ""

    def preferences_json(self) -> dict[str, Any]:
        return {**DEFAULT_PREFERENCES, **self.preferences}

    def write_preferences(self, data_dir: Path) -> Path:
        """``<data_dir>/preferences.json``, which the app reads at start-up."""
        data_dir.mkdir(parents=True, exist_ok=True)
        path = data_dir / "preferences.json"
        path.write_text(json.dumps(self.preferences_json(), ensure_ascii=False), encoding="utf-8")
        return path


# 360 px for every mode: DESIGN.md §5 asks for nothing clipped or off-screen at 360 px width from
# 100 % to 200 % text, in standard and 长辈版 alike, and 360 is the narrowest common phone. Wider
# windows only make overflow less likely; targets and contrast do not depend on width. The
# viewport is tall so a whole screen fits on one screenshot without Flutter scrolling (and it
# grows if a screen is taller still, see fit_viewport).
WIDTH = 360
HEIGHT = 2400
STANDARD = AuditConfig("standard", WIDTH, HEIGHT, 48, 4.5, label="标准")
LARGE_TEXT = AuditConfig("large_text", WIDTH, HEIGHT, 60, 7, {"large_text": True}, "长辈版")
SCALE200 = AuditConfig("scale200", WIDTH, HEIGHT, 48, 4.5, {"text_scale": 2.0}, "200% 字号")
HIGH_CONTRAST = AuditConfig(
    "high_contrast", WIDTH, HEIGHT, 48, 7, {"high_contrast": True}, "高对比度"
)
# 长辈版 at its largest: the mode where long labels first run out of room (issue 16, item 6).
LARGE200 = AuditConfig(
    "large_text_200", WIDTH, HEIGHT, 60, 7, {"large_text": True, "text_scale": 2.0}, "长辈版 200%"
)
CONFIGS: tuple[AuditConfig, ...] = (STANDARD, LARGE_TEXT, SCALE200, HIGH_CONTRAST, LARGE200)

# The name and role rules of axe-core; the rest of §5 is measured here, since axe cannot see canvas
# text (contrast) and has no notion of the modes' target sizes.
AXE_RULES = ("button-name", "aria-command-name", "label", "nested-interactive")
AXE_SCRIPT = None  # axe.min.js from axe-playwright-python, read once

# --- concrete routes -----------------------------------------------------------------------------


# A route whose {id} is not a service's: the seed file its records come from.
ID_SOURCES = {"/policy/": "policies.json", "/institution/": "institutions.json"}


def seed_values(pattern: str = "") -> dict[str, str]:
    """Values for a route's parameters: the first seed record of its kind, the first district."""
    seed_dir = REPO_ROOT / "assets" / "seed"
    source = next((f for p, f in ID_SOURCES.items() if pattern.startswith(p)), "services.json")
    records = json.loads((seed_dir / source).read_text(encoding="utf-8"))
    districts = json.loads((seed_dir / "districts.json").read_text(encoding="utf-8"))
    return {"id": records[0]["id"], "code": districts[0]["code"]}


def concrete_path(pattern: str, values: dict[str, str] | None = None) -> str:
    values = values or seed_values(pattern)

    def value(match: re.Match[str]) -> str:
        if match.group(1) not in values:
            raise KeyError(
                f"route {pattern} has a parameter {{{match.group(1)}}} the audit has no value "
                "for: add one to a11y_audit.seed_values"
            )
        return values[match.group(1)]

    return re.sub(r"\{(\w+)\}", value, pattern)


def slug(path: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-") or "home"


# --- WCAG contrast -------------------------------------------------------------------------------

# One WCAG formula for the product and its audit: accessibility/contrast.py.
RGB = tuple[int, int, int]


def hex_colour(rgb: RGB) -> str:
    return "#{:02X}{:02X}{:02X}".format(*rgb)


# A text colour must cover at least this share of the box's non-background pixels (and a few
# pixels at all). Anti-aliasing blends lie between text and background, so they are never the most
# extreme colour; the floor keeps a stray pixel of a neighbouring element from being taken as text.
TEXT_SHARE = 0.02
TEXT_MIN_PIXELS = 3


def text_and_background(crop: Image.Image) -> tuple[RGB, RGB] | None:
    """(text colour, background colour) of a box holding text, or None for an empty box."""
    pixels = crop.width * crop.height
    if pixels == 0:
        return None
    counts = sorted(crop.convert("RGB").getcolors(pixels), reverse=True)
    background_count, background = counts[0]
    rest = pixels - background_count
    floor = max(TEXT_MIN_PIXELS, TEXT_SHARE * rest)
    candidates = [rgb for count, rgb in counts[1:] if count >= floor]
    if not candidates:
        return background, background  # nothing drawn: contrast 1:1
    bg_lum = relative_luminance(background)
    text = max(candidates, key=lambda rgb: abs(relative_luminance(rgb) - bg_lum))
    return text, background


def _is_ink(pixel: RGB, text: RGB, background: RGB) -> bool:
    """A pixel (nearly) fully covered by the text colour, not an anti-aliased edge."""
    span = sum((a - b) ** 2 for a, b in zip(text, background, strict=True)) ** 0.5
    return sum((a - b) ** 2 for a, b in zip(pixel, text, strict=True)) ** 0.5 <= 0.25 * span


def cut_off_at(
    image: Image.Image, x: int, top: int, bottom: int, text: RGB, background: RGB
) -> bool:
    """Whether glyphs are cut by a vertical edge at column ``x`` (rows ``top``..``bottom``).

    Flutter clips a node's semantics rect to its clipping ancestor, so a line that runs past the
    edge of a Row or of the screen still reports a box inside the viewport; what gives it away is
    ink in the box's (or the screen's) last pixel column, where a whole line of text always leaves
    its side bearing free. Ink in runs that touch the top or bottom of the column is a rounded
    corner or a neighbour, not a glyph; a border is one long unbroken run, not cut glyphs.
    """
    if text == background or not 0 <= x < image.width or bottom - top < 3:
        return False
    column = [_is_ink(image.getpixel((x, y)), text, background) for y in range(top, bottom)]
    runs: list[tuple[int, int]] = []  # (start, length)
    for y, ink in enumerate(column):
        if ink and runs and runs[-1][0] + runs[-1][1] == y:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        elif ink:
            runs.append((y, 1))
    inner = [(y, n) for y, n in runs if y > 0 and y + n < len(column)]
    if any(n >= 0.6 * len(column) for _, n in inner):
        return False
    return sum(n for _, n in inner) >= 2


# --- what the audit reports ---------------------------------------------------------------------


class Contrast(NamedTuple):
    text: str
    ratio: float
    foreground: str
    background: str


@dataclass
class ScreenAudit:
    route: str
    identifier: str
    config: str
    min_target: float
    min_contrast: float
    viewport: tuple[int, int] = (0, 0)
    controls: int = 0
    named: int = 0
    unnamed: list[str] = field(default_factory=list)
    smallest_target: tuple[float, float] | None = None  # (width, height) in CSS px
    unmeasured_text: int = 0  # text nodes below MAX_HEIGHT: names and targets checked, pixels not
    small_targets: list[str] = field(default_factory=list)
    offscreen_text: list[str] = field(default_factory=list)
    clipped_text: list[str] = field(default_factory=list)  # drawn shorter than its label
    h1_count: int = 0
    h1_texts: list[str] = field(default_factory=list)
    tab_order: list[str] = field(default_factory=list)
    tab_unreached: list[str] = field(default_factory=list)
    tab_presses: int = 0
    axe_violations: list[str] = field(default_factory=list)  # "rule-id: target"
    lowest_contrast: float | None = None
    lowest_contrast_text: str = ""
    low_contrast: list[Contrast] = field(default_factory=list)
    text_nodes: int = 0
    title: str = ""  # document.title once the screen had settled
    expected_title: str = ""
    focus_after_navigation: str = ""  # what holds focus after an in-app navigation here
    focus_named: bool = True  # ...and whether that has a short accessible name
    choice_groups: dict[str, tuple[int, int]] = field(default_factory=dict)  # id: (chosen, of)
    screenshot: Path | None = None

    @property
    def tab_reached(self) -> int:
        return self.controls - len(self.tab_unreached)

    def problems(self) -> list[str]:
        """Every §5 failure on this screen, in words."""
        out = [f"no accessible name: {desc}" for desc in self.unnamed]
        out += [
            f"target below {fmt(self.min_target)}×{fmt(self.min_target)}: {desc}"
            for desc in self.small_targets
        ]
        out += [
            f"off-screen or cut off at {self.viewport[0]} px wide: {desc}"
            for desc in self.offscreen_text
        ]
        out += [f"drawn shorter than its label (“…” or clipped): {d}" for d in self.clipped_text]
        if self.h1_count != 1:
            out.append(f"{self.h1_count} h1 headings, not exactly one: {self.h1_texts}")
        out += [
            f"Tab never reaches {desc} ({self.tab_presses} presses)" for desc in self.tab_unreached
        ]
        out += [f"axe {violation}" for violation in self.axe_violations]
        if self.expected_title and self.title != self.expected_title:
            out.append(f"title “{self.title}”, not “{self.expected_title}”")
        if not self.focus_named:
            out.append(
                f"after navigating here, focus is on {self.focus_after_navigation or 'nothing'}"
                " (not the heading or a control with a short name)"
            )
        for group, (chosen, buttons) in self.choice_groups.items():
            if chosen > 1 or (chosen == 0 and not group.startswith(OPTIONAL_CHOICES)):
                out.append(f"choice group {group}: {chosen} of {buttons} chosen, not exactly one")
        out += [
            f"contrast {c.ratio:.2f}:1 below {fmt(self.min_contrast)}:1: “{c.text}” "
            f"({c.foreground} on {c.background})"
            for c in self.low_contrast
        ]
        return out


def fmt(value: float) -> str:
    return f"{value:g}" if value == int(value) else f"{value:.1f}"


# --- reading the page ---------------------------------------------------------------------------

# Every element of the semantics tree that a person can operate. `flt-tappable` catches a tappable
# node whatever its role; `a[href]` a real link (Flutter's `<a>` without href is only a wrapper).
INTERACTIVE = ", ".join(
    [
        *(
            f'[role="{role}"]'
            for role in (
                "button",
                "link",
                "checkbox",
                "switch",
                "radio",
                "slider",
                "tab",
                "menuitem",
                "menuitemcheckbox",
                "menuitemradio",
                "textbox",
                "searchbox",
                "combobox",
                "spinbutton",
            )
        ),
        "input",
        "textarea",
        "select",
        "a[href]",
        "[flt-tappable]",
    ]
)

SNAPSHOT_JS = """
([INTERACTIVE]) => {
  const host = document.querySelector('flt-semantics-host');
  const viewport = [document.documentElement.clientWidth, document.documentElement.clientHeight];
  const h1s = [...document.querySelectorAll('h1, [role="heading"][aria-level="1"]')];
  const out = {viewport, controls: [], texts: [], h1: h1s.map(e => e.textContent.trim())};
  window.__a11yControls = [];
  if (!host) return out;
  const SEM = '[id^="flt-semantic-node-"], input, textarea, select';
  const box = e => { const r = e.getBoundingClientRect();
    return [r.left, r.top, r.width, r.height]; };
  const ident = e => { const i = e.closest('[flt-semantics-identifier]');
    return i ? i.getAttribute('flt-semantics-identifier') : ''; };
  const own = e => (e.getAttribute('aria-label') || '').trim()
    || (e.matches('input, textarea, select') ? '' : e.textContent.trim());
  const controls = [...host.querySelectorAll(INTERACTIVE)];
  window.__a11yControls = controls;
  out.controls = controls.map(e => {
    // A text field's input sits inside the semantics node that receives the taps.
    const target = e.matches('input, textarea, select')
      ? (e.parentElement.closest('[id^="flt-semantic-node-"]') || e) : e;
    return {
      tag: e.tagName.toLowerCase(),
      role: e.getAttribute('role') || '',
      identifier: ident(e),
      text: own(e).slice(0, 40),
      box: box(target),
      focusable: e.tabIndex >= 0 && !e.hasAttribute('disabled'),
      disabled: e.getAttribute('aria-disabled') === 'true' || e.hasAttribute('disabled'),
      // Radios in a group are one Tab stop (arrow keys move within it), as ARIA prescribes.
      group: e.getAttribute('role') === 'radio' && e.closest('[role="radiogroup"]')
        ? (e.closest('[role="radiogroup"]').id || 'radiogroup') : '',
    };
  });
  const hasText = e => own(e) !== '';
  out.texts = [...host.querySelectorAll(SEM)]
    .filter(e => hasText(e) && ![...e.querySelectorAll(SEM)].some(hasText))
    .map(e => ({text: own(e), identifier: ident(e), box: box(e)}));
  return out;
}
"""

# Both waits below watch the same thing: any change in the semantics tree (nodes, text,
# attributes); ``watchSemantics(onChange)`` starts a MutationObserver on it and returns it.
WATCH_SEMANTICS_JS = """
const watchSemantics = onChange => {
  const observer = new MutationObserver(onChange);
  observer.observe(document.querySelector('flt-semantics-host') || document.body,
                   {subtree: true, childList: true, characterData: true, attributes: true});
  return observer;
};
"""

# Where keyboard focus is: the index of the control holding DOM focus (or of its nearest control
# ancestor), else a short description of the element. Flutter moves DOM focus when it sends the
# semantics update for the key, usually before the key press returns.
FOCUS_JS = (
    """
async (last) => {
"""
    + WATCH_SEMANTICS_JS
    + """
  const controls = window.__a11yControls || [];
  const where = () => {
    for (let e = document.activeElement; e; e = e.parentElement) {
      const i = controls.indexOf(e);
      if (i >= 0) return i;
    }
    const a = document.activeElement;
    return a ? a.tagName.toLowerCase() + (a.id ? '#' + a.id : '') : 'none';
  };
  // Focus that has not moved yet may still be on its way: Flutter moves it in a frame after
  // the key. Frames, not milliseconds, so a busy machine waits longer: the answer is "stayed
  // put" only after three frames in which the semantics tree did not change either (up to
  // 60 frames); a late move seen as "stayed put" would let the next Tab skip the control.
  let now = where();
  let changed = false;
  const observer = watchSemantics(() => { changed = true; });
  let quiet = 0;
  for (let frame = 0; frame < 60 && now === last && quiet < 3; frame++) {
    changed = false;
    await new Promise(r => requestAnimationFrame(r));
    now = where();
    quiet = changed ? 0 : quiet + 1;
  }
  observer.disconnect();
  return now;
}
"""
)

# Scrollable semantics containers that still hide content: how much taller the page must be.
OVERFLOW_JS = """
() => {
  const host = document.querySelector('flt-semantics-host');
  if (!host) return 0;
  let need = 0;
  for (const e of host.querySelectorAll('[id^="flt-semantic-node-"]')) {
    const s = getComputedStyle(e).overflowY;
    if ((s === 'scroll' || s === 'auto') && e.scrollHeight > e.clientHeight + 1)
      need = Math.max(need, e.scrollHeight - e.clientHeight);
  }
  return need;
}
"""

# Single-choice groups (accessibility.semantics.choice_group): each button says whether it is
# the current choice (aria-current); the group is the nearest ancestor with an identifier.
CHOICES_JS = """
() => {
  const out = {};
  for (const b of document.querySelectorAll('flt-semantics-host [aria-current]')) {
    const g = b.parentElement && b.parentElement.closest('[flt-semantics-identifier]');
    const id = g ? g.getAttribute('flt-semantics-identifier') : '(no group)';
    const e = out[id] || (out[id] = [0, 0]);
    e[1] += 1;
    if (b.getAttribute('aria-current') === 'true') e[0] += 1;
  }
  return out;
}
"""

# An in-app navigation, as the router sees a link or the browser's Back: no page load.
NAVIGATE_JS = """
path => {
  history.pushState({}, '', path);
  dispatchEvent(new PopStateEvent('popstate', {state: {}}));
}
"""

# What holds keyboard (and so screen-reader) focus, and its name.
ACTIVE_JS = """
() => {
  const a = document.activeElement;
  if (!a || a === document.body || !a.closest('flt-semantics-host')) {
    return {where: a ? a.tagName.toLowerCase() : 'none', name: '', inside: false};
  }
  const name = (a.getAttribute('aria-label') || a.textContent || '').trim();
  return {where: a.tagName.toLowerCase() + (a.getAttribute('role') ? '[' + a.getAttribute('role') + ']' : ''),
          name, inside: true};
}
"""

SHORT_NAME = 40  # characters: a name said in one breath, not a whole screen's text

# Resolves once nothing in the semantics tree has changed for ``quiet`` ms, or after ``limit``
# ms, then after two frames.
SETTLE_JS = (
    """
([quiet, limit]) => new Promise(resolve => {
"""
    + WATCH_SEMANTICS_JS
    + """
  const started = performance.now();
  let timer;
  const done = () => {
    observer.disconnect();
    requestAnimationFrame(() => requestAnimationFrame(() => resolve()));
  };
  const observer = watchSemantics(() => {
    clearTimeout(timer);
    timer = setTimeout(done, Math.max(0, Math.min(quiet, limit - (performance.now() - started))));
  });
  timer = setTimeout(done, quiet);
})
"""
)


def describe(node: dict[str, Any], name: str | None = None) -> str:
    role = node.get("role") or node.get("tag", "")
    label = name if name is not None else node.get("text", "")
    left, top, width, height = node["box"]
    where = f"[{node['identifier']}] " if node.get("identifier") else ""
    return f"{role} “{label}” {where}at ({left:.0f},{top:.0f}) {width:.0f}×{height:.0f}"


def settle(page: FletPage, timeout_s: float = 15, quiet_ms: int = 400) -> None:
    """Wait until the semantics tree stops changing (transitions, data arriving) for
    ``quiet_ms``, then two frames. Watched inside the page (SETTLE_JS): one round trip, and
    the quiet is measured from the last change itself, not from the next poll."""
    page.page.evaluate(SETTLE_JS, [quiet_ms, timeout_s * 1000])


# Headless Chromium draws nothing below about 8,192 px: a taller viewport would show blank
# pixels as "white on white" and "cut off". Taller screens are measured down to here, and the
# text below is counted as not measured (ScreenAudit.unmeasured_text) instead of guessed at.
MAX_HEIGHT = 8000
SCROLL_EDGE = 64  # px above the viewport's bottom where a still-scrolling view may end


def fit_viewport(page: FletPage, config: AuditConfig, rounds: int = 3) -> None:
    """Grow the viewport (never the width, never past MAX_HEIGHT) until nothing scrolls."""
    for _ in range(rounds):
        need = page.page.evaluate(OVERFLOW_JS)
        size = page.page.viewport_size or {"width": config.width, "height": config.height}
        if need <= 0 or size["height"] >= MAX_HEIGHT:
            return
        height = min(size["height"] + need + 32, MAX_HEIGHT)
        page.page.set_viewport_size({"width": size["width"], "height": height})
        settle(page)


def visit(page: FletPage, base_url: str, path: str, identifier: str, config: AuditConfig) -> None:
    """Open ``path`` inside the app at the mode's viewport, as a person does (a link, or Back:
    no page load), and let it settle. The tab is loaded first if it is not on the app yet, and
    leaves ``path`` first if it is already there, so every screen is arrived at."""
    if page.page.viewport_size != {"width": config.width, "height": config.height}:
        page.page.set_viewport_size({"width": config.width, "height": config.height})
    base = base_url.rstrip("/")
    if not page.page.url.startswith(base + "/"):
        page.url = base + "/"
        page.open()
        page.wait_for("screen-home")
        settle(page)
    if page.page.evaluate("() => location.pathname") == path:
        navigate(page, "/settings" if path == "/" else "/")
        settle(page)
    navigate(page, path)
    page.wait_for(identifier)
    settle(page)


def navigate(page: FletPage, path: str) -> None:
    page.page.evaluate(NAVIGATE_JS, path)
    page.page.wait_for_function("p => location.pathname === p", arg=path)


def accessible_names(page: FletPage) -> list[dict[str, Any]]:
    """Chromium's computed role and name for each control found by the last snapshot, in order."""
    cdp = page.page.context.new_cdp_session(page.page)
    try:
        array = cdp.send("Runtime.evaluate", {"expression": "window.__a11yControls || []"})
        props = cdp.send(
            "Runtime.getProperties",
            {"objectId": array["result"]["objectId"], "ownProperties": True},
        )
        elements = sorted(
            (int(p["name"]), p["value"]["objectId"]) for p in props["result"] if p["name"].isdigit()
        )
        out = []
        for _, object_id in elements:
            nodes = cdp.send(
                "Accessibility.getPartialAXTree", {"objectId": object_id, "fetchRelatives": False}
            )["nodes"]
            node = nodes[0] if nodes else {}
            out.append(
                {
                    "name": (node.get("name") or {}).get("value", "").strip(),
                    "role": (node.get("role") or {}).get("value", ""),
                    "ignored": bool(node.get("ignored", not nodes)),
                }
            )
        return out
    finally:
        cdp.detach()


def run_axe(page: FletPage, rules: tuple[str, ...] = AXE_RULES) -> list[str]:
    """axe-core violations of the given rules, as "rule: target" strings."""
    global AXE_SCRIPT
    if not page.page.evaluate("() => typeof window.axe !== 'undefined'"):
        if AXE_SCRIPT is None:
            try:
                import axe_playwright_python
            except ImportError as error:  # pragma: no cover - a set-up problem, said plainly
                raise RuntimeError(
                    "axe-core comes from the axe-playwright-python package: add it to the dev "
                    "dependencies (pyproject.toml, `make lock`) and reinstall"
                ) from error

            AXE_SCRIPT = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(
                encoding="utf-8"
            )
        page.page.evaluate(AXE_SCRIPT)
    result = page.page.evaluate(
        "rules => axe.run(document, {runOnly: {type: 'rule', values: rules},"
        " resultTypes: ['violations']})",
        list(rules),
    )
    return [
        f"{violation['id']}: {' '.join(map(str, node['target']))}"
        + (f" {node['html'][:120]}" if node.get("html") else "")
        for violation in result["violations"]
        for node in violation["nodes"]
    ]


def walk_tab(page: FletPage, controls: list[dict[str, Any]]) -> tuple[list[int | str], int]:
    """Press Tab from the top of the document; (focus stops, presses).

    Each stop is the index of the control holding focus, or a description of a non-control
    (``body`` when focus leaves the app). Stops once every control has been reached, or focus has
    come back round to the first control it reached, or after 3 × controls presses. Focus staying
    put for a press is not the end: Flutter spends one press on a radio group's own focus node.
    """
    if not controls:
        return [], 0
    page.page.evaluate(
        "() => { if (document.activeElement) document.activeElement.blur(); document.body.focus(); }"
    )
    wanted = {i for i, node in enumerate(controls) if not node["disabled"]}
    stops: list[int | str] = []
    seen: set[int] = set()
    presses = 0
    first: int | None = None
    while presses < 3 * len(controls):
        page.page.keyboard.press("Tab")
        presses += 1
        where = page.page.evaluate(FOCUS_JS, stops[-1] if stops else "body")
        stops.append(where)
        if isinstance(where, int):
            if first is None:
                first = where
            elif where == first and stops[-2] != first:
                break  # came back round: further presses repeat the cycle
            seen.add(where)
            if wanted <= seen:
                break
    return stops, presses


# The narrowest a character is drawn, as a share of the font size: CJK and full-width forms
# are a whole em in the bundled Noto Sans SC; Latin letters, digits and spaces are less. The
# estimate errs towards too narrow, so what it flags is really cut.
NARROW_SHARE = 0.45
CJK_RANGES = ((0x2E80, 0x9FFF), (0x3000, 0x303F), (0xF900, 0xFAFF), (0xFF00, 0xFFEF))
MIN_CHARS = 4  # shorter texts (a count, "是") say too little to measure


def least_width(text: str, size: float) -> float:
    """The least width ``text`` takes on one line at font ``size``."""
    wide = sum(1 for c in text if any(lo <= ord(c) <= hi for lo, hi in CJK_RANGES))
    return size * (wide + NARROW_SHARE * (len(text) - wide))


def shorter_than_label(
    texts: list[dict[str, Any]],
    controls: list[dict[str, Any]],
    config: AuditConfig,
    drawn_to: float = math.inf,
) -> list[str]:
    """Text whose box cannot hold its label, even drawn at the look's smallest size and
    spread over as many lines as the box is tall; and empty text fields whose hint (the last
    line of their name, after the label drawn above them) does not fit in the box.

    Text whose box reaches ``drawn_to`` is not judged: on a screen still scrolling at
    MAX_HEIGHT, a box there ends where the scrolling view does, not where its text does."""
    prefs = config.preferences_json()
    scale = look_for(prefs["large_text"], prefs["high_contrast"], prefs["text_scale"]).scale
    line = scale.small * scale.line_height
    found = []
    for node in texts:
        text = node["text"]
        _, top, w, h = node["box"]
        if len(text) < MIN_CHARS or w <= 0 or h <= 0 or top + h >= drawn_to:
            continue
        lines = max(1, math.floor(h / line + 0.25))
        if least_width(text, scale.small) > lines * w * 1.05:
            found.append(
                f"“{text[:40]}” needs {least_width(text, scale.small):.0f} px, "
                f"has {lines} line(s) of {w:.0f} px"
            )
    for node in controls:
        name = node.get("name") or ""
        if node["tag"] not in ("input", "textarea") or "\n" not in name:
            continue
        hint = name.rsplit("\n", 1)[1]
        _, _, w, h = node["box"]
        room = w - 2 * scale.padding
        lines = max(1, math.floor((h - 2 * scale.button_padding) / line + 0.25))
        if len(hint) >= MIN_CHARS and least_width(hint, scale.small) > lines * room * 1.05:
            found.append(f"the hint “{hint[:40]}” in a field {w:.0f}×{h:.0f} px")
    return found


def audit_screen(
    page: FletPage,
    config: AuditConfig,
    route: str,
    identifier: str,
    screenshot: Path | None = None,
    *,
    tab: bool = True,
    axe: bool = True,
    progress: Callable[[str], None] | None = None,
) -> ScreenAudit:
    """Measure the open screen (semantics on, ``identifier`` present, settled) against §5."""
    audit = ScreenAudit(route, identifier, config.name, config.min_target, config.min_contrast)
    snap = page.page.evaluate(SNAPSHOT_JS, [INTERACTIVE])
    vw, vh = snap["viewport"]
    audit.viewport = (vw, vh)
    audit.h1_texts = snap["h1"]
    audit.h1_count = len(snap["h1"])

    # Names, from Chromium's accessibility tree.
    controls = snap["controls"]
    names = accessible_names(page)
    assert len(names) == len(controls), "the semantics tree changed while it was being read"
    audit.controls = len(controls)
    for node, ax in zip(controls, names, strict=True):
        node["name"] = ax["name"]
        if ax["name"] and not ax["ignored"]:
            audit.named += 1
        else:
            note = " (hidden from assistive tech)" if ax["ignored"] else ""
            audit.unnamed.append(describe(node, node["text"]) + note)

    # Targets.
    def edge(node: dict[str, Any]) -> tuple[float, float]:
        _, _, w, h = node["box"]
        return (min(w, h), w * h)

    if controls:
        smallest = min(controls, key=edge)
        audit.smallest_target = (round(smallest["box"][2], 1), round(smallest["box"][3], 1))
    tolerance = 0.05  # sub-pixel layout rounding
    for node in controls:
        _, _, w, h = node["box"]
        if w + tolerance < config.min_target or h + tolerance < config.min_target:
            audit.small_targets.append(describe(node, node["name"]))

    # Text and controls outside the viewport (horizontally: the page is tall on purpose).
    for node in [*snap["texts"], *controls]:
        left, _, w, h = node["box"]
        if w > 0 and h > 0 and (left < -0.5 or left + w > vw + 0.5):
            text = node.get("name") or node["text"]
            where = f" [{node['identifier']}]" if node.get("identifier") else ""
            entry = f"“{text[:40]}”{where} spans x {left:.0f}…{left + w:.0f}"
            if entry not in audit.offscreen_text:
                audit.offscreen_text.append(entry)

    # Text drawn shorter than what a screen reader says of it: an ellipsis ("大字版（长辈…"),
    # or a label cut inside a field or a fixed-height box.
    # A screen longer than MAX_HEIGHT still scrolls: its view ends a page margin above the
    # viewport's bottom, and the text there is cut by the view, not by its own box.
    still_scrolls = page.page.evaluate(OVERFLOW_JS) > 0
    drawn_to = vh - SCROLL_EDGE if still_scrolls else math.inf
    audit.clipped_text = shorter_than_label(snap["texts"], controls, config, drawn_to)

    # Contrast, from the pixels (before any focus highlight is drawn).
    png = page.page.screenshot(full_page=False)
    if screenshot is not None:
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        screenshot.write_bytes(png)
        audit.screenshot = screenshot
    image = Image.open(io.BytesIO(png)).convert("RGB")
    scale_x = image.width / vw if vw else 1
    scale_y = image.height / vh if vh else 1
    for node in snap["texts"]:
        left, top, w, h = node["box"]
        if top + h > vh + 0.5:
            audit.unmeasured_text += 1  # below what the browser draws (MAX_HEIGHT)
            continue
        box = (
            max(0, math.floor(left * scale_x)),
            max(0, math.floor(top * scale_y)),
            min(image.width, math.ceil((left + w) * scale_x)),
            min(image.height, math.ceil((top + h) * scale_y)),
        )
        if box[2] - box[0] < 1 or box[3] - box[1] < 1:
            continue
        colours = text_and_background(image.crop(box))
        if colours is None:
            continue
        audit.text_nodes += 1
        fg, bg = colours
        for edge_x, where in ((box[2] - 1, "its box"), (image.width - 1, "the screen")):
            if cut_off_at(image, edge_x, box[1], box[3], fg, bg):
                ident = f" [{node['identifier']}]" if node.get("identifier") else ""
                audit.offscreen_text.append(
                    f"“{node['text'][:40]}”{ident} is cut off at the right edge of {where}"
                    f" (x {edge_x}, rows {box[1]}…{box[3]})"
                )
                break
        ratio = round(contrast_ratio(fg, bg), 2)
        sample = Contrast(node["text"][:40], ratio, hex_colour(fg), hex_colour(bg))
        if audit.lowest_contrast is None or ratio < audit.lowest_contrast:
            audit.lowest_contrast = ratio
            audit.lowest_contrast_text = sample.text
        if ratio < config.min_contrast:
            audit.low_contrast.append(sample)

    audit.choice_groups = {k: tuple(v) for k, v in page.page.evaluate(CHOICES_JS).items()}
    audit.title = page.page.title()
    audit.expected_title = expected_title(route)

    if axe:
        if progress:
            progress("axe")
        audit.axe_violations = run_axe(page)

    # Keyboard last: it moves focus and draws a focus highlight.
    if tab:
        if progress:
            progress("tab")
        stops, audit.tab_presses = walk_tab(page, controls)
        reached = {s for s in stops if isinstance(s, int)}
        groups_reached = {controls[i]["group"] for i in reached if controls[i]["group"]}
        audit.tab_order = [
            controls[s]["name"] or controls[s]["identifier"] if isinstance(s, int) else s
            for s in stops
        ]
        audit.tab_unreached = [
            describe(node, node["name"])
            for i, node in enumerate(controls)
            if i not in reached and not node["disabled"] and node["group"] not in groups_reached
        ]
    return audit


def expected_title(path: str) -> str:
    """The tab title the app gives ``path`` (app.routes.window_title), in Chinese as the modes
    run."""
    before = current_language()
    set_language("zh_CN")
    try:
        return window_title(path)
    finally:
        set_language(before)


def wait_for_focus(page: FletPage, timeout_s: float = 10) -> dict[str, Any]:
    """Where focus is once it has landed inside the app (or after ``timeout_s``)."""
    deadline = timeout_s * 1000
    waited = 0
    active = page.page.evaluate(ACTIVE_JS)
    while not active["inside"] and waited < deadline:
        page.page.wait_for_timeout(200)
        waited += 200
        active = page.page.evaluate(ACTIVE_JS)
    return active


def focus_after_navigation(page: FletPage) -> tuple[str, bool]:
    """Where focus landed on the screen just navigated to (``visit``), and whether that is the
    new screen's h1, or at least a control with a short name."""
    active = wait_for_focus(page)
    where = f"{active['where']} “{active['name'][:SHORT_NAME]}”"
    return where, active["inside"] and 0 < len(active["name"]) <= SHORT_NAME


def audit_route(
    page: FletPage,
    base_url: str,
    config: AuditConfig,
    pattern: str,
    identifier: str,
    artifacts: Path | None = None,
    values: dict[str, str] | None = None,
) -> ScreenAudit:
    """Visit one route (a pattern from app.routes) in the given mode and audit it."""
    path = concrete_path(pattern, values)
    visit(page, base_url, path, identifier, config)
    focus = focus_after_navigation(page)
    fit_viewport(page, config)
    shot = artifacts / f"{config.name}-{slug(path)}.png" if artifacts is not None else None
    audit = audit_screen(page, config, path, identifier, shot)
    audit.focus_after_navigation, audit.focus_named = focus
    return audit
