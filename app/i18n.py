"""gettext through babel: English msgids in code, zh_CN (default) and en catalogues.

Mark UI strings with ``_()`` where they are shown, or ``N_()`` where they are defined ahead
of time (route tables) and translated with ``_()`` later. ``make i18n`` extracts and compiles.
The language is process-wide: one person uses one app process (desktop, phone, kiosk, or the
local web server ``make run`` starts).
"""

from __future__ import annotations

import gettext
import io
import logging
from datetime import date

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from app.paths import LOCALE_DIR
from services.clock import shanghai_day
from services.trips.time import parse_instant

DOMAIN = "sunshine"
DEFAULT_LANGUAGE = "zh_CN"
LANGUAGES = {"zh_CN": "简体中文", "en": "English"}
# BCP 47 tags for the page's lang attribute, so screen readers pick the right voice.
LANGUAGE_TAGS = {"zh_CN": "zh-CN", "en": "en"}

logger = logging.getLogger(__name__)
_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = DEFAULT_LANGUAGE


def load_translation(language: str) -> gettext.NullTranslations:
    """The compiled .mo if present and current, else the .po compiled in memory."""
    po_path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    mo_path = po_path.with_suffix(".mo")
    if mo_path.exists() and (
        not po_path.exists() or mo_path.stat().st_mtime >= po_path.stat().st_mtime
    ):
        with mo_path.open("rb") as fp:
            return gettext.GNUTranslations(fp)
    if not po_path.exists():
        raise LookupError(f"no catalogue for language {language!r} in {LOCALE_DIR}")
    with po_path.open("rb") as fp:
        catalog = read_po(fp, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def set_language(language: str) -> None:
    global _translation, _language
    if language not in LANGUAGES:
        raise LookupError(f"unsupported language {language!r}; choose one of {sorted(LANGUAGES)}")
    _translation = load_translation(language)
    _language = language


def current_language() -> str:
    return _language


def _(message: str) -> str:
    return _translation.gettext(message)


def N_(message: str) -> str:
    """Mark for extraction only; translate with ``_()`` when shown."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


def format_day(iso: str) -> str:
    """The day of an ISO date or timestamp in the current language, e.g. 2026年3月14日 / March 14,
    2026. A timestamp is placed on its Shanghai day (23:30 UTC is already tomorrow there)."""
    text = str(iso)
    try:
        day = date.fromisoformat(text) if len(text) == 10 else shanghai_day(parse_instant(text))
    except ValueError:
        return text
    return format_date(day, format="long", locale=_language)
