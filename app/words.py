"""Lists of words joined as the current language joins them: "A, B, and C" / "A、B和C"."""

from __future__ import annotations

from collections.abc import Iterable

from babel.lists import format_list

from app.i18n import current_language


def join_and(items: Iterable[str]) -> str:
    """``A, B, and C`` in the current language (``A、B和C`` in Chinese)."""
    return format_list(list(items), style="standard", locale=current_language())


def join_or(items: Iterable[str]) -> str:
    """``A, B or C`` in the current language (``A、B或C`` in Chinese)."""
    return format_list(list(items), style="or", locale=current_language())
