"""The person's display and speech choices, kept in the data dir and read at start-up.

A corrupt or hand-edited file never stops the app: unreadable values fall back to defaults.
Writes go to a temporary file renamed over the old one, so a crash never leaves half a file.
A kiosk writes nothing: its choices live in memory (``MemoryPreferencesStore``) and go back to
``KIOSK_DEFAULTS`` when the session ends, so the next person finds the kiosk as it was.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
from pathlib import Path
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from services.home_layout import HomeLayout

logger = logging.getLogger(__name__)
PREFERENCES_FILE_NAME = "preferences.json"


class Preferences(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    large_text: bool = False  # 长辈版
    high_contrast: bool = False
    text_scale: float = Field(default=1.0, ge=1.0, le=2.0)
    tts_enabled: bool = True
    speech_rate: int = Field(default=170, ge=80, le=300)  # words per minute
    speech_volume: float = Field(default=1.0, ge=0.0, le=1.0)
    language: str | None = None  # None: the install's default (SUNSHINE_LANGUAGE)
    home: HomeLayout = HomeLayout()  # the home screen as the person arranged it


# A kiosk starts in 长辈版 with read-aloud on: whoever walks up may need both.
KIOSK_DEFAULTS = Preferences(large_text=True, tts_enabled=True)


class PreferencesStorage(Protocol):
    """Where preferences are kept: a file (``PreferencesStore``) or memory (a kiosk's)."""

    def load(self) -> Preferences: ...
    def save(self, preferences: Preferences) -> None: ...


class MemoryPreferencesStore:
    """Preferences for this run only; nothing is written anywhere."""

    def __init__(self, defaults: Preferences = KIOSK_DEFAULTS) -> None:
        self.defaults = defaults
        self._preferences = defaults
        self._lock = threading.Lock()

    def load(self) -> Preferences:
        with self._lock:
            return self._preferences

    def save(self, preferences: Preferences) -> None:
        with self._lock:
            self._preferences = preferences

    def reset(self) -> None:
        """Back to the defaults (a kiosk session ends)."""
        with self._lock:
            self._preferences = self.defaults


class PreferencesStore:
    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / PREFERENCES_FILE_NAME

    def load(self) -> Preferences:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return Preferences()
        except (OSError, ValueError):
            logger.warning("unreadable %s; using default preferences", self.path)
            return Preferences()
        if not isinstance(raw, dict):
            return Preferences()
        try:
            return Preferences.model_validate(raw)
        except ValidationError:
            # Keep every field that is still valid; drop only the broken ones.
            defaults = Preferences().model_dump()
            valid = {}
            for key, value in raw.items():
                try:
                    Preferences.model_validate({**defaults, key: value})
                except ValidationError:
                    continue
                valid[key] = value
            logger.warning("ignored invalid values in %s", self.path)
            return Preferences.model_validate({**defaults, **valid})

    def save(self, preferences: Preferences) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".preferences-", dir=self.path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(preferences.model_dump(), handle, ensure_ascii=False, indent=2)
        os.replace(temp, self.path)
