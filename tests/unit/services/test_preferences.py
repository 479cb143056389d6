"""Preferences survive restarts and never stop the app, whatever is in the file."""

from __future__ import annotations

import json

import pytest

from services.home_layout import HomeLayout
from services.preferences import (
    KIOSK_DEFAULTS,
    MemoryPreferencesStore,
    Preferences,
    PreferencesStorage,
    PreferencesStore,
)


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


# -- the home layout inside the preferences --------------------------------------------------


def test_an_old_file_without_a_home_layout_loads_with_the_default(tmp_path):
    (tmp_path / "preferences.json").write_text(
        json.dumps({"large_text": True, "speech_rate": 200}), encoding="utf-8"
    )
    loaded = PreferencesStore(tmp_path).load()
    assert loaded.home == HomeLayout()
    assert loaded.large_text is True and loaded.speech_rate == 200


@pytest.mark.parametrize(
    "broken",
    ["not a layout", 7, [], {"order": 5}, {"pinned": [1, {"x": 2}]}, {"hidden": "quick"}, None],
)
def test_a_broken_home_layout_falls_back_alone(tmp_path, broken):
    (tmp_path / "preferences.json").write_text(
        json.dumps({"high_contrast": True, "language": "en", "home": broken}), encoding="utf-8"
    )
    loaded = PreferencesStore(tmp_path).load()
    assert loaded.home == HomeLayout()
    assert loaded.high_contrast is True and loaded.language == "en", "the other fields are kept"


def test_a_home_layout_survives_a_restart(tmp_path):
    layout = HomeLayout().move("districts", -7).hide("visits").pin("svc-b").pin("svc-a")
    PreferencesStore(tmp_path).save(Preferences(home=layout))
    loaded = PreferencesStore(tmp_path).load().home
    assert loaded == layout
    assert loaded.sections()[0] == "districts" and loaded.pinned == ("svc-b", "svc-a")
    stored = json.loads((tmp_path / "preferences.json").read_text(encoding="utf-8"))
    assert stored["home"]["pinned"] == ["svc-b", "svc-a"], "plain JSON lists in the file"


def test_a_stored_layout_from_a_newer_app_keeps_its_unknown_sections(tmp_path):
    (tmp_path / "preferences.json").write_text(
        json.dumps({"home": {"order": ["weather", "quick"], "future_field": 1}}), encoding="utf-8"
    )
    home = PreferencesStore(tmp_path).load().home
    assert home.order == ("weather", "quick")
    assert home.sections()[:2] == ("pinned", "quick") and "weather" not in home.sections()


# -- a kiosk's preferences: memory only ------------------------------------------------------


def test_kiosk_defaults_are_large_text_and_speech():
    assert KIOSK_DEFAULTS.large_text is True and KIOSK_DEFAULTS.tts_enabled is True
    assert KIOSK_DEFAULTS.model_copy(update={"large_text": False, "tts_enabled": True}) == (
        Preferences()
    ), "and otherwise the ordinary defaults"


def test_memory_preferences_start_at_their_defaults_and_keep_what_is_saved():
    store = MemoryPreferencesStore(KIOSK_DEFAULTS)
    assert store.load() == KIOSK_DEFAULTS
    chosen = KIOSK_DEFAULTS.model_copy(update={"high_contrast": True, "language": "en"})
    store.save(chosen)
    assert store.load() == chosen
    store.reset()
    assert store.load() == KIOSK_DEFAULTS
    assert MemoryPreferencesStore(Preferences()).load() == Preferences()


def test_memory_preferences_write_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # were anything written relative to here, it would show
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    store = MemoryPreferencesStore(KIOSK_DEFAULTS)
    store.save(Preferences(high_contrast=True, home=HomeLayout().pin("svc-a")))
    store.load()
    store.reset()
    assert list(tmp_path.rglob("*")) == [data_dir]
    assert list(data_dir.iterdir()) == []
    # the control: the file store does write where it is told
    PreferencesStore(data_dir).save(Preferences(high_contrast=True))
    assert [p.name for p in data_dir.iterdir()] == ["preferences.json"]


def test_both_stores_satisfy_the_protocol(tmp_path):
    def round_trip(storage: PreferencesStorage) -> Preferences:
        storage.save(Preferences(text_scale=1.5))
        return storage.load()

    assert round_trip(PreferencesStore(tmp_path)).text_scale == 1.5
    assert round_trip(MemoryPreferencesStore(KIOSK_DEFAULTS)).text_scale == 1.5
