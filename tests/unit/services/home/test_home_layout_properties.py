"""Properties of HomeLayout under random edits, and its round trip through preferences.json.

* whatever sequence of move/hide/show/pin/unpin/move_pin, ``sections()`` is a permutation of
  SECTIONS, ``visible()`` is ``sections()`` without the hidden ones, pinned has no duplicates;
* ``sections()`` of any stored order, however odd, is a permutation of SECTIONS;
* a layout saved with the preferences loads back equal, and shows the same.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from services.home_layout import SECTIONS, HomeLayout
from services.preferences import Preferences, PreferencesStore

PROPERTY_SETTINGS = settings(max_examples=300, deadline=None, database=None)
SECTION_IDS = st.sampled_from([*SECTIONS, "weather"])  # one this app does not know
SERVICE_IDS = st.sampled_from([f"svc-{n}" for n in range(6)])
OFFSETS = st.integers(min_value=-10, max_value=10)
EDITS = st.one_of(
    st.tuples(st.just("move"), SECTION_IDS, OFFSETS),
    st.tuples(st.just("hide"), SECTION_IDS),
    st.tuples(st.just("show"), SECTION_IDS),
    st.tuples(st.just("pin"), SERVICE_IDS),
    st.tuples(st.just("unpin"), SERVICE_IDS),
    st.tuples(st.just("move_pin"), SERVICE_IDS, OFFSETS),
)
STORED_ORDERS = st.lists(SECTION_IDS | st.text(max_size=5), max_size=12).map(tuple)


def edited(start: HomeLayout, edits: list[tuple]) -> HomeLayout:
    layout = start
    for name, *args in edits:
        layout = getattr(layout, name)(*args)
    return layout


@PROPERTY_SETTINGS
@given(order=STORED_ORDERS, edits=st.lists(EDITS, max_size=25))
def test_edits_keep_the_sections_a_permutation_and_pins_unique(order, edits):
    layout = edited(HomeLayout(order=order), edits)
    sections = layout.sections()
    assert sorted(sections) == sorted(SECTIONS)
    assert layout.visible() == tuple(s for s in sections if s not in layout.hidden)
    assert len(set(layout.pinned)) == len(layout.pinned)
    assert len(set(layout.hidden)) == len(layout.hidden)
    for section in SECTIONS:
        place, count = layout.position(section)
        assert count == len(SECTIONS) and sections[place - 1] == section


@PROPERTY_SETTINGS
@given(edits=st.lists(EDITS, max_size=25))
def test_pins_are_exactly_those_pinned_and_not_unpinned_since(edits):
    layout = edited(HomeLayout(), edits)
    expected: set[str] = set()
    for name, *args in edits:
        if name == "pin":
            expected.add(args[0])
        elif name == "unpin":
            expected.discard(args[0])
    assert set(layout.pinned) == expected


@PROPERTY_SETTINGS
@given(section=st.sampled_from(SECTIONS), offset=OFFSETS, edits=st.lists(EDITS, max_size=10))
def test_move_lands_where_it_says_clamped(section, offset, edits):
    layout = edited(HomeLayout(), edits)
    before, _ = layout.position(section)
    after, count = layout.move(section, offset).position(section)
    assert after == min(max(before + offset, 1), count)
    others = [s for s in layout.sections() if s != section]
    assert [s for s in layout.move(section, offset).sections() if s != section] == others


@settings(max_examples=60, deadline=None, database=None)
@given(order=STORED_ORDERS, edits=st.lists(EDITS, max_size=15))
def test_a_layout_round_trips_through_the_preferences_file(order, edits):
    layout = edited(HomeLayout(order=order), edits)
    with tempfile.TemporaryDirectory() as directory:
        store = PreferencesStore(Path(directory))
        store.save(Preferences(large_text=True, home=layout))
        loaded = store.load()
    assert loaded.home == layout
    assert loaded.home.sections() == layout.sections()
    assert loaded.large_text is True
