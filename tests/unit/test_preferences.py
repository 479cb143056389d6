"""Preferences survive restarts and never stop the app, whatever is in the file."""

from __future__ import annotations

import json

from services.preferences import Preferences, PreferencesStore


def test_missing_file_gives_defaults(tmp_path):
    assert PreferencesStore(tmp_path).load() == Preferences()


def test_saved_preferences_come_back(tmp_path):
    store = PreferencesStore(tmp_path)
    chosen = Preferences(large_text=True, high_contrast=True, text_scale=1.5, language="en")
    store.save(chosen)
    assert PreferencesStore(tmp_path).load() == chosen
    assert [p.name for p in tmp_path.iterdir()] == ["preferences.json"]  # no temp files left


def test_corrupt_file_gives_defaults(tmp_path):
    (tmp_path / "preferences.json").write_text("{not json", encoding="utf-8")
    assert PreferencesStore(tmp_path).load() == Preferences()


def test_one_bad_value_keeps_the_good_ones(tmp_path):
    (tmp_path / "preferences.json").write_text(
        json.dumps({"large_text": True, "text_scale": 9, "speech_rate": "fast"}), encoding="utf-8"
    )
    loaded = PreferencesStore(tmp_path).load()
    assert loaded.large_text is True
    assert loaded.text_scale == 1.0 and loaded.speech_rate == Preferences().speech_rate
