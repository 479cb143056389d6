"""The bundled CJK font draws every character the app can show, and stays small and licensed."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from functools import cache

import pytest
from babel.messages.pofile import read_po
from fontTools.ttLib import TTFont

from accessibility.theme import FONT_ASSET
from app.i18n import LANGUAGES
from app.paths import ASSETS_DIR
from tests import paths

REPO_ROOT = paths.REPO_ROOT
FONT = REPO_ROOT / "assets" / "fonts" / "SunshineSansSC-Regular.otf"
LICENCE = REPO_ROOT / "assets" / "fonts" / "OFL.txt"
SEED_DIR = REPO_ROOT / "assets" / "seed"
LOCALES = REPO_ROOT / "assets" / "locales"
MAX_BYTES = 5 * 1024 * 1024


@cache
def font_codepoints() -> frozenset[int]:
    return frozenset(TTFont(FONT, lazy=True).getBestCmap())


def json_strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from json_strings(item)


def seed_strings() -> Iterator[str]:
    files = sorted(SEED_DIR.glob("*.json"))
    assert files, f"no seed catalogue in {SEED_DIR}"
    for path in files:
        yield from json_strings(json.loads(path.read_text(encoding="utf-8")))


def catalogue_strings(lang: str) -> Iterator[str]:
    with (LOCALES / lang / "LC_MESSAGES" / "sunshine.po").open("rb") as fp:
        catalog = read_po(fp, locale=lang)
    for message in catalog:
        if message.id:
            yield from message.string if isinstance(message.string, tuple) else (message.string,)


def gb2312_hanzi() -> Iterator[str]:
    """The 6763 hanzi of GB 2312: rows 0xB0-0xF7, cells 0xA1-0xFE."""
    for high in range(0xB0, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                yield bytes([high, low]).decode("gb2312")
            except UnicodeDecodeError:
                continue


def missing_from_font(texts: Iterable[str]) -> list[str]:
    have = font_codepoints()
    chars = {char for text in texts for char in text if not char.isspace()}
    return sorted(char for char in chars if ord(char) not in have)


def coverage_failure(what: str, missing: list[str]) -> str:
    listing = " ".join(f"{c} (U+{ord(c):04X})" for c in missing[:200])
    more = f" … and {len(missing) - 200} more" if len(missing) > 200 else ""
    return (
        f"{FONT.relative_to(REPO_ROOT)} lacks {len(missing)} character(s) of {what}; "
        f"run `make font`.\nMissing: {listing}{more}"
    )


def test_gb2312_has_6763_hanzi():
    assert len(set(gb2312_hanzi())) == 6763


SOURCES = {
    "the seed catalogue (assets/seed/*.json)": seed_strings,
    "the zh_CN catalogue": lambda: catalogue_strings("zh_CN"),
    "the en catalogue": lambda: catalogue_strings("en"),
    "the language names (app.i18n.LANGUAGES)": lambda: LANGUAGES.values(),
    "GB 2312": gb2312_hanzi,
}


@pytest.mark.parametrize("what", SOURCES)
def test_font_covers_every_character(what: str):
    texts = list(SOURCES[what]())
    assert texts, f"{what}: nothing to check"
    missing = missing_from_font(texts)
    assert not missing, coverage_failure(what, missing)


def test_font_is_small_enough_for_the_web_build():
    size = FONT.stat().st_size
    assert size < MAX_BYTES, f"{FONT.name} is {size / 1e6:.1f} MB; the limit is 5 MB"


def test_font_licence_is_bundled():
    assert LICENCE.is_file()
    assert "SIL OPEN FONT LICENSE" in LICENCE.read_text(encoding="utf-8").upper()


def test_font_carries_its_own_family_name():
    # A modified (subset) font must not keep the original's reserved name.
    assert TTFont(FONT, lazy=True)["name"].getDebugName(1) == "Sunshine Sans SC"


def test_the_font_asset_the_app_registers_is_this_font():
    registered = ASSETS_DIR / FONT_ASSET
    assert registered.is_file(), f"accessibility.theme.FONT_ASSET={FONT_ASSET!r} not under assets/"
    assert registered.resolve() == FONT.resolve()
