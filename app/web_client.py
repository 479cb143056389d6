"""An overlay on Flet's web client so the browser build needs nothing from the internet.

Flet serves a file from its assets dir before its own web dir, so the overlay is the assets
dir in web mode. It holds:
- ``main.dart.js`` with the Rive runtime's CDN address pointed at a local stub: the client loads
  Rive at start-up even though Sunshine draws no Rive animation, and offline that request fails.
  Also in ``main.dart.js``: every entry of Flutter's fallback font table (the Noto families it
  would fetch from Google Fonts) points at our own font. A paragraph laid out before the engine
  has registered our font (a start-up race we could not close from Python) otherwise asks for
  fonts that cannot be had offline; now it gets the font it already has, from the browser cache.
  Our font covers every string the app shows (tests/unit/test_font_coverage.py), so nothing
  needs a real fallback; text it lacks (emoji a user types) shows as a box instead of hanging.
  Also in ``main.dart.js``: an announcement stays in its live region for
  ``ANNOUNCEMENT_SECONDS`` instead of Flutter's 300 ms, and is cleared only if no newer one has
  replaced it. On a busy device Chromium passed the region to the screen reader after Flutter had
  already emptied it, and a blind person heard nothing ("验证码已发送" lost, seen with Orca
  while a second test run loaded the machine).
- ``assets/FontManifest.json`` with our CJK font added (Flutter loads manifest fonts before the
  first frame) and the unused KaTeX math fonts dropped (20 fewer requests at start-up).
- ``index.html`` with ``lang`` set, so screen readers speak Chinese with a Chinese voice.
- copies of our own assets (fonts, icons).
Built once per Flet version and overlay recipe, then reused; built in a temp dir and renamed, so
two processes starting together never see half an overlay.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

import flet_web
import platformdirs

from accessibility.theme import FONT_ASSET, FONT_FAMILY
from app.paths import ASSETS_DIR

RECIPE_VERSION = "4"
RIVE_CDN = re.compile(r'"https://cdn\.jsdelivr\.net/npm/@rive-app/[^"]*/"')
RIVE_LOCAL = '"rive-offline/"'
FALLBACK_FONT = re.compile(r'"noto[a-z0-9]*/v\d+/[^"]+\.woff2"')
RIVE_STUB = (
    "// Sunshine bundles no Rive runtime: fail fast and locally instead of asking a CDN.\n"
    "window.RiveNative = function () {\n"
    "  return Promise.reject(new Error('Rive runtime is not bundled'));\n"
    "};\n"
)
COPIED_ASSET_DIRS = ("fonts", "icons")
ANNOUNCEMENT_SECONDS = 5
# Flutter's AccessibilityAnnouncements.announce, compiled: set the live region's text at once,
# then empty it (and move it back out of a modal dialog) after liveMessageDuration.
ANNOUNCE_TIMERS = re.compile(
    r"(new A\.\w+\(p,r\)\)\n)(A\.\w+)\((B\.\w+),new (A\.\w+)\(p,q,o\)\)\}\}"
)


def overlay_root() -> Path:
    return Path(os.environ.get("SUNSHINE_CACHE_DIR") or platformdirs.user_cache_dir("sunshine"))


def prepare_web_overlay(lang_tag: str, root: Path | None = None) -> Path:
    """Return the overlay dir for this Flet version and page language, building it if needed."""
    web_dir = Path(flet_web.get_package_web_dir())
    key = _overlay_key(web_dir, lang_tag)
    target = (root or overlay_root()) / f"web-overlay-{key}"
    if target.is_dir():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="web-overlay-", dir=target.parent))
    try:
        _build(web_dir, staging, lang_tag)
        os.replace(staging, target)
    except OSError:
        if not target.is_dir():  # lost a race to another process: theirs is as good as ours
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _overlay_key(web_dir: Path, lang_tag: str) -> str:
    digest = hashlib.sha256()
    digest.update(RECIPE_VERSION.encode())
    digest.update(lang_tag.encode())
    digest.update((web_dir / "version.json").read_bytes())
    for name in COPIED_ASSET_DIRS:
        for path in sorted((ASSETS_DIR / name).rglob("*")):
            if path.is_file():
                stat = path.stat()
                digest.update(
                    f"{path.relative_to(ASSETS_DIR)}:{stat.st_size}:{stat.st_mtime_ns}".encode()
                )
    return digest.hexdigest()[:16]


def _build(web_dir: Path, out: Path, lang_tag: str) -> None:
    script = (web_dir / "main.dart.js").read_text(encoding="utf-8")
    patched, count = RIVE_CDN.subn(RIVE_LOCAL, script)
    if count == 0:
        raise RuntimeError("Flet web client changed: Rive CDN address not found in main.dart.js")
    # Fallback URLs are "assets/fonts/" + chunk; this lands on our font's own URL.
    patched, count = FALLBACK_FONT.subn(f'"../../{FONT_ASSET}"', patched)
    if count == 0:
        raise RuntimeError("Flet web client changed: fallback font table not found")
    patched = _keep_announcements(patched)
    (out / "main.dart.js").write_text(patched, encoding="utf-8")

    for variant in ("wasm", "wasm_compatibility"):
        stub = out / "rive-offline" / variant / "rive_native.js"
        stub.parent.mkdir(parents=True)
        stub.write_text(RIVE_STUB, encoding="utf-8")

    manifest = json.loads((web_dir / "assets" / "FontManifest.json").read_text(encoding="utf-8"))
    manifest = [f for f in manifest if not f["family"].startswith("packages/flutter_math_fork/")]
    # Manifest assets resolve under assets/; ours is served from the overlay's fonts/.
    manifest.append({"family": FONT_FAMILY, "fonts": [{"asset": f"../{FONT_ASSET}"}]})
    (out / "assets").mkdir()
    (out / "assets" / "FontManifest.json").write_text(json.dumps(manifest), encoding="utf-8")

    index = (web_dir / "index.html").read_text(encoding="utf-8")
    index, count = re.subn(r"<html[^>]*>", f'<html lang="{lang_tag}">', index, count=1)
    if count == 0:
        raise RuntimeError("Flet web client changed: no <html> tag in index.html")
    (out / "index.html").write_text(index, encoding="utf-8")

    for name in COPIED_ASSET_DIRS:
        source = ASSETS_DIR / name
        if source.is_dir():
            shutil.copytree(source, out / name)


def _keep_announcements(script: str) -> str:
    """Announcements stay ``ANNOUNCEMENT_SECONDS``; the timer that empties the live region
    empties it only if it still holds the text it was set for."""
    found = ANNOUNCE_TIMERS.findall(script)
    if len(found) != 1:
        raise RuntimeError("Flet web client changed: Flutter's announcement timers not found")
    _, timer, duration, clear = found[0]
    duration_class = re.search(re.escape(duration) + r"=new (A\.\w+)\(3e5\)", script)
    if duration_class is None:
        raise RuntimeError("Flet web client changed: announcement duration not found")
    longer = f"new {duration_class.group(1)}({ANNOUNCEMENT_SECONDS * 1_000_000})"
    script = ANNOUNCE_TIMERS.sub(
        lambda m: f"{m.group(1)}{timer}({longer},Object.assign(new {clear}(p,q,o),{{d:r}}))}}}}",
        script,
    )
    # The clearing closure's body: keep its first line, guard its emptying.
    clear_start = re.escape(clear) + r"\.prototype=\{\n\$0\(\)\{var s=this,r=s\.a\n"
    script, count = re.subn(
        f'({clear_start})r\\.textContent=""', r'\1if(r.textContent===s.d)r.textContent=""', script
    )
    if count != 1:
        raise RuntimeError("Flet web client changed: announcement clearing not found")
    return script
