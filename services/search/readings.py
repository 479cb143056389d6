"""How each character can be typed: its pinyin readings, their fuzzy-sound variants, initials.

Readings come from pypinyin, every reading of a character (重 → zhong, chong), looked up once per
distinct character and cached: indexing 10,000 items touches a few thousand characters, not
hundreds of thousands of pypinyin calls.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from pypinyin import Style, pinyin

from services.search.normalize import is_hanzi

_TWO_LETTER_INITIALS = ("zh", "ch", "sh")
# Fuzzy sounds people in Shanghai (and many elsewhere) do not tell apart when typing.
_INITIAL_SWAPS = {"zh": "z", "z": "zh", "ch": "c", "c": "ch", "sh": "s", "s": "sh",
                  "n": "l", "l": "n", "f": "h", "h": "f"}  # fmt: skip
_FINAL_SWAPS = (("ang", "an"), ("eng", "en"), ("ing", "in"))


@dataclass(frozen=True, slots=True)
class CharReadings:
    """One character of indexed text and every way it may be typed."""

    char: str
    strict: tuple[str, ...]  # its real readings (or the letter/digit itself)
    fuzzy: tuple[str, ...]  # fuzzy-sound variants that are not also real readings
    initials: tuple[str, ...]  # what typing only the start of a reading looks like: c, zh, z
    fuzzy_initials: tuple[str, ...]  # the same with a fuzzy initial: l for n, zh for z
    # Everything above as (spelling, cost, whole reading?) for the matcher's inner loop: one
    # tuple walk per character instead of four, cheapest first.
    steps: tuple[tuple[str, int, bool], ...]
    first_letters: frozenset[str]  # what a spelling of this character can start with


def initial_of(reading: str) -> str:
    return reading[:2] if reading[:2] in _TWO_LETTER_INITIALS else reading[:1]


def fuzzy_variants(reading: str) -> set[str]:
    """Every spelling one or two fuzzy swaps away (an initial swap, a final swap, or both)."""
    initial = initial_of(reading)
    rest = reading[len(initial) :]
    initials = {initial}
    if initial in _INITIAL_SWAPS:
        initials.add(_INITIAL_SWAPS[initial])
    finals = {rest}
    for long, short in _FINAL_SWAPS:
        if rest.endswith(long):
            finals.add(rest[: -len(long)] + short)
        elif rest.endswith(short):
            finals.add(rest[: -len(short)] + long)
    return {i + f for i in initials for f in finals if i + f} - {reading}


@cache
def readings_of(ch: str) -> CharReadings:
    if is_hanzi(ch):
        found = pinyin(ch, style=Style.NORMAL, heteronym=True, errors="ignore")
        strict = tuple(
            dict.fromkeys(
                r.lower().replace("ü", "u").replace("v", "u") for r in (found[0] if found else [])
            )
        )
        strict = tuple(r for r in strict if r.isascii() and r.isalpha())
    elif ch.isascii() and ch.isalnum():
        strict = (ch,)  # a letter or digit in the text is typed as itself
    else:
        strict = ()
    fuzzy = tuple(sorted({v for r in strict for v in fuzzy_variants(r)} - set(strict)))
    initials = tuple(dict.fromkeys(i for r in strict for i in {initial_of(r), r[0]} if i != r))
    fuzzy_initials = tuple(
        dict.fromkeys(
            _INITIAL_SWAPS[initial_of(r)]
            for r in strict
            if initial_of(r) in _INITIAL_SWAPS and _INITIAL_SWAPS[initial_of(r)] not in initials
        )
    )
    steps = (
        *((r, 0, True) for r in strict),
        *((i, 0, False) for i in initials),
        *((r, 1, True) for r in fuzzy),
        *((i, 1, False) for i in fuzzy_initials),
    )
    first_letters = frozenset(step[0][0] for step in steps)
    return CharReadings(ch, strict, fuzzy, initials, fuzzy_initials, steps, first_letters)
