"""Build the bundled CJK font: Noto Sans CJK SC subset to GB 2312 + ASCII + every app string.

Why a subset: the full face is 16 MB; the web build downloads the font before it draws any
Chinese text, so the asset must stay small. Run after adding catalogue data or UI strings:
`make font` (needs Debian's fonts-noto-cjk). tests/unit/accessibility/test_font_coverage.py fails when a
string the app shows is missing from the font.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

ROOT = Path(__file__).resolve().parents[1]
SOURCE_TTC = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
SOURCE_FAMILY = "Noto Sans CJK SC"
OUTPUT = ROOT / "assets" / "fonts" / "SunshineSansSC-Regular.otf"
# Renamed because a modified (subset) font should not carry the original's name.
FAMILY = "Sunshine Sans SC"


def gb2312_chars() -> Iterator[str]:
    """Every character GB 2312 encodes (rows 0xA1-0xF7, cells 0xA1-0xFE)."""
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                yield bytes([high, low]).decode("gb2312")
            except UnicodeDecodeError:
                continue


def basic_chars() -> Iterator[str]:
    ranges = [
        (0x20, 0x7E),  # ASCII
        (0xA0, 0xFF),  # Latin-1 (°, ×, ·)
        (0x2010, 0x2027),  # dashes, quotes, ellipsis
        (0x2160, 0x216B),  # Roman numerals
        (0x2190, 0x2193),  # arrows
        (0x3000, 0x303F),  # CJK punctuation
        (0xFF01, 0xFF5E),  # full-width forms
    ]
    for start, end in ranges:
        for code in range(start, end + 1):
            yield chr(code)


def app_strings() -> Iterator[str]:
    """Text the app can show: seed catalogue values and translated UI strings."""
    for path in sorted((ROOT / "assets" / "seed").glob("*.json")):
        yield from _json_strings(json.loads(path.read_text(encoding="utf-8")))
    for path in sorted((ROOT / "assets" / "locales").rglob("*.po")):
        yield path.read_text(encoding="utf-8")


def _json_strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)


def wanted_codepoints(texts: Iterable[str]) -> set[int]:
    chars: set[str] = set(gb2312_chars()) | set(basic_chars())
    for text in texts:
        chars.update(text)
    return {ord(c) for c in chars if not c.isspace() or c == " "}


def load_source_face(path: Path) -> TTFont:
    collection = TTCollection(str(path))
    for font in collection.fonts:
        if font["name"].getDebugName(1) == SOURCE_FAMILY:
            return font
    raise SystemExit(f"{SOURCE_FAMILY} not found in {path}")


def rename(font: TTFont) -> None:
    names = {
        1: FAMILY,
        3: f"{FAMILY} Regular; subset",
        4: f"{FAMILY} Regular",
        6: "SunshineSansSC-Regular",
        16: FAMILY,
    }
    table = font["name"]
    for record in list(table.names):
        if record.nameID in names:
            table.setName(
                names[record.nameID],
                record.nameID,
                record.platformID,
                record.platEncID,
                record.langID,
            )
    cff = font["CFF "].cff
    cff.fontNames = ["SunshineSansSC-Regular"]


def build(source: Path, output: Path) -> tuple[int, int]:
    font = load_source_face(source)
    codepoints = wanted_codepoints(app_strings())
    codepoints &= set(font.getBestCmap())
    options = subset.Options()
    options.layout_features = ["kern", "vert", "vrt2", "liga", "locl"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.hinting = False
    options.desubroutinize = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)
    rename(font)
    output.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(output))
    return len(codepoints), output.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source", type=Path, default=SOURCE_TTC)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    count, size = build(args.source, args.output)
    print(f"{args.output.relative_to(ROOT)}: {count} characters, {size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
