"""Translations: English msgids in code, zh_CN (default) and en catalogues kept in step with it."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

import app.i18n
from app.i18n import _, current_language, load_translation, set_language
from tests import paths

REPO_ROOT = paths.REPO_ROOT
LOCALES = REPO_ROOT / "assets" / "locales"
LANGS = ("zh_CN", "en")
# As `pybabel extract -k _ -k N_` in the Makefile, which keeps babel's default ngettext.
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"\{\w*\}")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def po_path(lang: str, locale_dir: Path = LOCALES) -> Path:
    return locale_dir / lang / "LC_MESSAGES" / "sunshine.po"


@cache
def catalogue(lang: str) -> Catalog:
    with po_path(lang).open("rb") as fp:
        return read_po(fp, locale=lang)


def entries(lang: str) -> list[Message]:
    return [message for message in catalogue(lang) if message.id]


def msgstrs(message: Message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


@cache
def extracted_msgids() -> frozenset[str]:
    """What `make i18n` would extract from the code now, honouring babel.cfg."""
    with (REPO_ROOT / "babel.cfg").open(encoding="utf-8") as fp:
        method_map, options_map = parse_mapping_cfg(fp)
    found = extract_from_dir(str(REPO_ROOT), method_map, options_map, keywords=KEYWORDS)
    ids: set[str] = set()
    for _filename, _lineno, message, _comments, _context in found:
        ids.update(m for m in (message if isinstance(message, tuple) else (message,)) if m)
    return frozenset(ids)


@pytest.fixture
def restore_default_language() -> Iterator[None]:
    yield
    set_language("zh_CN")


def test_extraction_finds_the_ui_strings():
    ids = extracted_msgids()
    assert "Sunshine" in ids  # marked with N_() in app/routes.py
    assert "Back" in ids  # marked with _() in views/chrome.py


@pytest.mark.parametrize("lang", LANGS)
def test_catalogue_has_exactly_the_strings_in_the_code(lang: str):
    in_code = extracted_msgids()
    in_po = {
        text
        for message in entries(lang)
        # A plural entry's id is (singular, plural); extraction lists both strings.
        for text in (message.id if isinstance(message.id, tuple) else (message.id,))
    }
    missing = sorted(in_code - in_po)
    stale = sorted(in_po - in_code)
    assert not missing and not stale, (
        f"{po_path(lang).relative_to(REPO_ROOT)} is out of step with the code; "
        f"run `make i18n` and translate.\n"
        f"In code, not in the catalogue: {missing}\nIn the catalogue, not in code: {stale}"
    )


def test_every_zh_cn_entry_is_translated_into_chinese():
    bad = []
    for message in entries("zh_CN"):
        if message.fuzzy:
            bad.append(f"fuzzy: {message.id!r}")
        for text in msgstrs(message):
            if not text.strip():
                bad.append(f"empty: {message.id!r}")
            elif not CJK.search(text) and _has_words(message.id):
                bad.append(f"no Chinese character: {message.id!r} -> {text!r}")
    assert entries("zh_CN")
    assert not bad, "zh_CN catalogue:\n" + "\n".join(bad)


def _has_words(msgid: str | tuple[str, ...]) -> bool:
    """False for pure layout such as "{label}: {value}", which needs no Chinese word."""
    text = msgid[0] if isinstance(msgid, tuple) else msgid
    return any(ch.isalpha() for ch in PLACEHOLDER.sub("", text))


def test_every_en_entry_has_a_translation():
    empty = [m.id for m in entries("en") if any(not text.strip() for text in msgstrs(m))]
    assert entries("en")
    assert not empty, f"en catalogue has empty msgstr for: {empty}"


@pytest.mark.usefixtures("restore_default_language")
def test_set_language_switches_between_english_and_chinese():
    set_language("en")
    assert current_language() == "en"
    assert _("Sunshine") == "Sunshine"
    set_language("zh_CN")
    assert current_language() == "zh_CN"
    assert _("Sunshine") == "阳光申办"


@pytest.mark.usefixtures("restore_default_language")
def test_unsupported_language_is_refused_and_the_current_one_kept():
    set_language("en")
    with pytest.raises(LookupError):
        set_language("fr")
    assert current_language() == "en"
    assert _("Sunshine") == "Sunshine"


@pytest.fixture
def locale_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The catalogues (.po only) in a temp dir that app.i18n reads instead of assets/."""
    copy = tmp_path / "locales"
    shutil.copytree(LOCALES, copy)
    for mo in copy.rglob("*.mo"):
        mo.unlink()
    monkeypatch.setattr(app.i18n, "LOCALE_DIR", copy)
    return copy


def write_mo_saying(path: Path, lang: str, sunshine: str) -> None:
    """A compiled catalogue that translates "Sunshine" differently from the .po."""
    catalog = Catalog(locale=lang)
    catalog.add("Sunshine", sunshine)
    with path.open("wb") as fp:
        write_mo(fp, catalog)


@pytest.mark.parametrize(("lang", "expected"), [("zh_CN", "阳光申办"), ("en", "Sunshine")])
def test_translation_loads_from_the_po_when_no_mo_exists(
    locale_copy: Path, lang: str, expected: str
):
    assert not list(locale_copy.rglob("*.mo"))
    assert load_translation(lang).gettext("Sunshine") == expected


def test_translation_prefers_an_up_to_date_mo(locale_copy: Path):
    po = po_path("zh_CN", locale_copy)
    mo = po.with_suffix(".mo")
    write_mo_saying(mo, "zh_CN", "来自 MO")
    po_mtime = po.stat().st_mtime
    os.utime(mo, (po_mtime + 10, po_mtime + 10))
    assert load_translation("zh_CN").gettext("Sunshine") == "来自 MO"


def test_translation_ignores_an_mo_older_than_its_po(locale_copy: Path):
    po = po_path("zh_CN", locale_copy)
    mo = po.with_suffix(".mo")
    write_mo_saying(mo, "zh_CN", "来自 MO")
    po_mtime = po.stat().st_mtime
    os.utime(mo, (po_mtime - 10, po_mtime - 10))
    assert load_translation("zh_CN").gettext("Sunshine") == "阳光申办"


def test_language_without_any_catalogue_is_a_lookup_error(locale_copy: Path):
    with pytest.raises(LookupError):
        load_translation("fr")
