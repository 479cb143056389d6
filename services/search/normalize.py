"""One spelling for everything compared: width, case, traditional characters and ü.

The catalogue and the query go through the same steps, so ``ＣＪＲＺ``, ``cjrz``, ``殘疾人證`` and
``残疾人证`` meet in the middle. OpenCC's ``t2s`` table does the traditional → simplified step
(phrase-aware, so 乾/干 and 後/后 come out right).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

_T2S = opencc.OpenCC("t2s")
# Pinyin spelling is compared on ASCII letters only; an apostrophe only separates syllables.
_LETTERS = re.compile(r"[a-z]")
_SEPARATORS = re.compile(r"['’‘`·\-_]+")
_SPACES = re.compile(r"\s+")


def is_hanzi(ch: str) -> bool:
    return (
        "\u3400" <= ch <= "\u9fff"
        or "\uf900" <= ch <= "\ufaff"
        or "\U00020000" <= ch <= "\U0003134f"
    )


def has_letters(text: str) -> bool:
    return _LETTERS.search(text) is not None


@lru_cache(maxsize=4096)
def normalize(text: str) -> str:
    """NFKC (full-width → ASCII), lower case, traditional → simplified, ü typed as v or u → u.

    Whitespace runs become one space; characters that are neither letters, digits nor Hanzi
    (punctuation, emoji, book-title marks) are dropped, so they can never break a match.
    """
    text = unicodedata.normalize("NFKC", text).lower().replace("ü", "u").replace("v", "u")
    text = _SEPARATORS.sub("", text)
    if any(is_hanzi(ch) for ch in text):
        text = _T2S.convert(text)
    kept = "".join(ch if (ch.isalnum() or ch.isspace()) else " " for ch in text)
    return _SPACES.sub(" ", kept).strip()
