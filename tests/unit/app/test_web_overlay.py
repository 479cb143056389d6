"""The offline overlay on Flet's web client (app/web_client.py): nothing fetched from the internet.

Builds two overlays from the installed flet_web package (each copies its ~10 MB main.dart.js).
"""

from __future__ import annotations

import filecmp
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from accessibility.theme import FONT_ASSET, FONT_FAMILY
from app.paths import ASSETS_DIR
from app.web_client import ANNOUNCEMENT_SECONDS, _keep_announcements, prepare_web_overlay

FALLBACK_FONT_URL = re.compile(r'"noto[a-z0-9]*/v\d+/[^"]+\.woff2"')


@dataclass(frozen=True)
class Overlays:
    root: Path
    zh: Path
    en: Path


@pytest.fixture(scope="module")
def overlays(tmp_path_factory: pytest.TempPathFactory) -> Overlays:
    root = tmp_path_factory.mktemp("overlays")
    return Overlays(
        root, prepare_web_overlay("zh-CN", root=root), prepare_web_overlay("en", root=root)
    )


@pytest.fixture(scope="module")
def main_js(overlays: Overlays) -> str:
    return (overlays.zh / "main.dart.js").read_text(encoding="utf-8")


def test_overlay_is_built_under_the_given_root(overlays: Overlays):
    assert overlays.zh.is_dir() and overlays.zh.parent == overlays.root


def test_main_js_asks_no_cdn_for_the_rive_runtime(main_js: str):
    assert "cdn.jsdelivr.net" not in main_js
    assert "rive-offline/" in main_js


def test_main_js_has_no_fallback_font_urls(main_js: str):
    found = FALLBACK_FONT_URL.findall(main_js)
    assert not found, f"{len(found)} fallback font URLs left, e.g. {found[:3]}"


def test_main_js_keeps_announcements_seconds_and_clears_only_its_own(main_js: str):
    micros = ANNOUNCEMENT_SECONDS * 1_000_000
    assert re.search(
        rf"new A\.\w+\({micros}\),Object\.assign\(new A\.\w+\(p,q,o\),\{{d:r\}}\)", main_js
    )
    assert 'if(r.textContent===s.d)r.textContent=""' in main_js


def test_a_client_without_flutters_announcement_timers_is_refused():
    """A new Flet whose compiled announce() looks different must not be served unpatched."""
    with pytest.raises(RuntimeError, match="announcement timers"):
        _keep_announcements("A.cZ(B.ce,new A.b4k(p))")


@pytest.mark.parametrize("variant", ["wasm", "wasm_compatibility"])
def test_local_rive_stub_exists(overlays: Overlays, variant: str):
    stub = overlays.zh / "rive-offline" / variant / "rive_native.js"
    assert stub.is_file()
    assert "RiveNative" in stub.read_text(encoding="utf-8")


def test_font_manifest_adds_our_font_and_drops_the_math_fonts(overlays: Overlays):
    manifest = json.loads((overlays.zh / "assets" / "FontManifest.json").read_text("utf-8"))
    families = {entry["family"]: entry["fonts"] for entry in manifest}
    assert families.get(FONT_FAMILY) == [{"asset": "../fonts/SunshineSansSC-Regular.otf"}]
    assert not [family for family in families if "flutter_math_fork" in family]


def test_index_html_carries_the_page_language(overlays: Overlays):
    assert '<html lang="zh-CN">' in (overlays.zh / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in (overlays.en / "index.html").read_text(encoding="utf-8")


def test_our_font_is_copied_into_the_overlay(overlays: Overlays):
    copied = overlays.zh / "fonts" / "SunshineSansSC-Regular.otf"
    assert copied.is_file()
    assert filecmp.cmp(copied, ASSETS_DIR / FONT_ASSET, shallow=False)


def test_a_second_call_reuses_the_overlay_without_rebuilding(overlays: Overlays):
    script = overlays.zh / "main.dart.js"
    before = script.stat().st_mtime_ns
    assert prepare_web_overlay("zh-CN", root=overlays.root) == overlays.zh
    assert script.stat().st_mtime_ns == before


def test_each_language_gets_its_own_overlay(overlays: Overlays):
    assert overlays.en != overlays.zh


def test_no_staging_dirs_are_left_behind(overlays: Overlays):
    assert sorted(p.name for p in overlays.root.iterdir()) == sorted(
        [overlays.zh.name, overlays.en.name]
    )
