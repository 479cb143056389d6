"""The home screen's layout (services/home_layout.py): order, hidden sections, pinned services."""

from __future__ import annotations

import pytest

from services.home_layout import SECTIONS, HomeLayout

DEFAULT = HomeLayout()


def test_the_default_shows_every_section_in_the_default_order():
    assert SECTIONS == (
        "pinned", "quick", "profile", "frequent", "common", "records", "visits", "districts"
    )  # fmt: skip
    assert DEFAULT.sections() == SECTIONS
    assert DEFAULT.visible() == SECTIONS
    assert DEFAULT.pinned == () and DEFAULT.hidden == ()


def test_a_layout_is_frozen():
    with pytest.raises(ValueError):
        DEFAULT.order = ()  # type: ignore[misc]


def test_sections_drops_unknown_ids_and_duplicates():
    layout = HomeLayout(order=("districts", "weather", "quick", "districts", *SECTIONS))
    assert layout.sections() == (
        "districts", "quick", "pinned", "profile", "frequent", "common", "records", "visits"
    )  # fmt: skip


def test_sections_inserts_a_missing_known_section_at_its_default_index():
    # a section added in an update ("frequent", index 3) and one never stored ("pinned", 0)
    stored = ("districts", "visits", "records", "common", "profile", "quick")
    assert HomeLayout(order=stored).sections() == (
        "pinned", "districts", "visits", "frequent", "records", "common", "profile", "quick"
    )  # fmt: skip
    assert HomeLayout(order=()).sections() == SECTIONS
    assert HomeLayout(order=("districts",)).sections() == SECTIONS
    assert HomeLayout(order=("quick", "pinned")).sections() == ("quick", "pinned", *SECTIONS[2:])


def test_move_down_and_up():
    moved = DEFAULT.move("quick", 2)
    assert moved.sections()[:4] == ("pinned", "profile", "frequent", "quick")
    assert moved.move("quick", -2).sections() == SECTIONS
    assert DEFAULT.sections() == SECTIONS, "the old layout is unchanged"


def test_move_is_clamped_at_both_ends():
    assert DEFAULT.move("pinned", -1).sections() == SECTIONS, "the first up is a no-op"
    assert DEFAULT.move("districts", 1).sections() == SECTIONS, "the last down is a no-op"
    assert DEFAULT.move("quick", -100).sections()[0] == "quick"
    assert DEFAULT.move("quick", 100).sections()[-1] == "quick"
    assert DEFAULT.move("quick", 0).sections() == SECTIONS


def test_moving_an_unknown_section_changes_nothing():
    assert DEFAULT.move("weather", 1).sections() == SECTIONS


def test_move_stores_the_normalised_order():
    layout = HomeLayout(order=("weather", "districts", "districts"))
    assert layout.move("districts", 1).order == layout.move("districts", 1).sections()


def test_hidden_sections_keep_their_place():
    layout = DEFAULT.hide("profile").hide("records")
    assert layout.visible() == ("pinned", "quick", "frequent", "common", "visits", "districts")
    assert layout.sections() == SECTIONS
    assert layout.is_hidden("profile") and not layout.is_hidden("quick")
    assert layout.position("profile") == (3, 8)
    assert layout.show("profile").visible() == (
        "pinned", "quick", "profile", "frequent", "common", "visits", "districts"
    )  # fmt: skip


def test_hide_twice_unknown_or_show_a_shown_one_changes_nothing():
    assert DEFAULT.hide("quick").hide("quick").hidden == ("quick",)
    assert DEFAULT.hide("weather") == DEFAULT
    assert DEFAULT.show("quick") == DEFAULT


def test_hidden_from_a_stored_layout_ignores_unknown_ids():
    layout = HomeLayout(hidden=("weather", "quick", "quick"))
    assert layout.hidden == ("weather", "quick")
    assert "quick" not in layout.visible() and len(layout.visible()) == 7


def test_pin_appends_and_pinning_twice_is_a_no_op():
    layout = DEFAULT.pin("svc-a").pin("svc-b").pin("svc-a")
    assert layout.pinned == ("svc-a", "svc-b")
    assert layout.is_pinned("svc-a") and not layout.is_pinned("svc-c")


def test_unpin_keeps_the_others_in_order():
    layout = DEFAULT.pin("svc-a").pin("svc-b").pin("svc-c").unpin("svc-b")
    assert layout.pinned == ("svc-a", "svc-c")
    assert layout.unpin("svc-nowhere") == layout


def test_move_pin_is_clamped_and_ignores_what_is_not_pinned():
    layout = DEFAULT.pin("svc-a").pin("svc-b").pin("svc-c")
    assert layout.move_pin("svc-c", -1).pinned == ("svc-a", "svc-c", "svc-b")
    assert layout.move_pin("svc-a", -1).pinned == ("svc-a", "svc-b", "svc-c")
    assert layout.move_pin("svc-a", 5).pinned == ("svc-b", "svc-c", "svc-a")
    assert layout.move_pin("svc-z", 1).pinned == layout.pinned


def test_stored_duplicates_in_pinned_are_dropped():
    assert HomeLayout(pinned=("svc-a", "svc-b", "svc-a")).pinned == ("svc-a", "svc-b")


def test_position_counts_from_one_among_all_sections():
    assert DEFAULT.position("pinned") == (1, 8)
    assert DEFAULT.position("quick") == (2, 8)
    assert DEFAULT.position("districts") == (8, 8)
    assert DEFAULT.move("districts", -1).position("districts") == (7, 8)
    with pytest.raises(ValueError):
        DEFAULT.position("weather")
