"""Turn the person's preferences into the process-wide look, language and voice."""

from __future__ import annotations

from accessibility.theme import look_for, set_look
from app.i18n import set_language
from services.config import ClientSettings
from services.preferences import Preferences
from services.speech.speaker import Speaker


def language_of(preferences: Preferences, settings: ClientSettings) -> str:
    return preferences.language or settings.language


def apply_process_preferences(
    preferences: Preferences, settings: ClientSettings, speaker: Speaker
) -> None:
    set_look(look_for(preferences.large_text, preferences.high_contrast, preferences.text_scale))
    language = language_of(preferences, settings)
    set_language(language)
    speaker.set_language(language)
    speaker.set_rate(preferences.speech_rate)
    speaker.set_volume(preferences.speech_volume)
