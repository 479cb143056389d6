"""Which engine voice reads which language, and the speech rate's limits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Language = Literal["zh_CN", "en"]

MIN_RATE = 80  # espeak-ng's own lower limit; slower is not intelligible anyway
MAX_RATE = 300
DEFAULT_RATE = 175  # espeak-ng's default, a calm pace for Mandarin


@dataclass(frozen=True)
class VoiceInfo:
    """A voice as the engine reports it, detached from pyttsx3 so callers need not import it."""

    id: str
    name: str
    languages: tuple[str, ...]


def normalize_language(language: str) -> Language:
    """Map the app's locale codes (and common spellings) onto the two supported languages."""
    tag = language.strip().lower().replace("-", "_")
    if tag in {"zh", "zh_cn", "zh_hans", "zh_hans_cn", "cmn"}:
        return "zh_CN"
    if tag == "en" or tag.startswith("en_"):
        return "en"
    raise ValueError(f"unsupported read-aloud language: {language!r} (use 'zh_CN' or 'en')")


def language_tags(voice: VoiceInfo) -> list[str]:
    return [str(tag).lower().replace("_", "-") for tag in voice.languages]


def _voice_score(voice: VoiceInfo, language: Language) -> int:
    """How well a voice fits a language; 0 means unusable. Ties keep the engine's order."""
    tags = language_tags(voice)
    words = f"{voice.id} {voice.name}".lower()
    if language == "zh_CN":
        # Cantonese, Hakka, Min Nan and Wu are Chinese but not Mandarin.
        if any(dialect in tag for tag in tags for dialect in ("yue", "hak", "nan", "wuu")):
            return 0
        if "cantonese" in words:
            return 0
        if any(tag in {"cmn", "zh", "zh-cn", "cmn-cn", "zh-hans", "zh-hans-cn"} for tag in tags):
            return 4
        if any(tag.startswith(("cmn", "zh")) for tag in tags):
            return 3  # e.g. espeak's cmn-latn-pinyin, or zh-TW Mandarin
        if "mandarin" in words or "chinese" in words:
            return 2
        return 0
    if any(tag in {"en", "en-gb", "en-us"} for tag in tags):
        return 4
    if any(tag.startswith("en") for tag in tags):
        return 3
    return 2 if "english" in words else 0


def choose_voice(
    voices: Sequence[VoiceInfo], language: Language, avoid: frozenset[str] = frozenset()
) -> VoiceInfo | None:
    """Best voice for a language; voices in ``avoid`` are known to mispronounce and come last."""
    best: VoiceInfo | None = None
    best_score = 0
    for voice in voices:
        score = _voice_score(voice, language)
        if score and voice.id in avoid:
            score = 1
        if score > best_score:
            best, best_score = voice, score
    return best
