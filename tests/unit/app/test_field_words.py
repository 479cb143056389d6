"""Long text: every length sentence names its field, and the room left is said near the limit."""

from __future__ import annotations

from types import SimpleNamespace

import flet as ft
import pytest
from control_tree import find

from app.field_words import room_left_sentence, room_told, too_long_sentence
from app.i18n import set_language
from app.trips.messages import trip_input_sentence
from services.errors import InputError
from services.validation import NOTES_LIMIT, clean_trip_details
from views.long_text import long_text_input

pytestmark = pytest.mark.usefixtures("chinese")


def test_a_note_too_long_says_which_field_and_how_long_it_was() -> None:
    with pytest.raises(InputError) as raised:
        clean_trip_details(
            district="310101",
            needs=["sighted_guide"],
            contact_phone="13800000001",
            notes="很" * 500,
        )
    assert trip_input_sentence(raised.value) == (
        "“给志愿者的备注”太长了：最多 200 个字，您输入了 500 个字。"
    )
    set_language("en")
    assert too_long_sentence(raised.value) == (
        "“Notes for the volunteer” is too long: at most 200 characters; you typed 500."
    )


@pytest.mark.parametrize(
    ("before", "after", "told"),
    [
        (30, 25, None),  # far from the limit: nothing said
        (21, 20, 20),
        (25, 18, 20),  # pasted past the mark: said once, with what is really left
        (20, 19, None),  # every keystroke is not said
        (11, 10, 10),
        (3, 0, 0),
        (0, 0, None),
        (10, 15, None),  # deleting says nothing
    ],
)
def test_room_is_told_when_typing_crosses_a_mark(before: int, after: int, told: int | None):
    assert room_told(before, after) == told


def test_room_left_sentences() -> None:
    assert room_left_sentence("notes", 10, NOTES_LIMIT) == "“给志愿者的备注”还能输入 10 个字。"
    assert room_left_sentence("notes", 0, NOTES_LIMIT) == "“给志愿者的备注”已满：最多 200 个字。"
    set_language("en")
    assert room_left_sentence("to_place", 1, 100) == "“Where you are going”: 1 character left."


def test_a_long_field_wraps_has_the_limit_and_announces_near_it() -> None:
    said: list[str] = []
    typed: list[str] = []
    actions = SimpleNamespace(announce=said.append)
    control = long_text_input(
        "备注",
        "trip-notes",
        "notes",
        NOTES_LIMIT,
        actions,
        value="字" * 175,
        on_change=lambda e: typed.append(e.control.value),
    )
    (field,) = find(control, "trip-notes").content.content.controls[1].controls
    assert isinstance(field, ft.TextField)
    assert field.multiline and field.max_lines is None and field.max_length == NOTES_LIMIT

    for length in (178, 181, 185, 191, 200):
        field.on_change(SimpleNamespace(control=SimpleNamespace(value="字" * length)))

    assert said == [
        "“给志愿者的备注”还能输入 19 个字。",
        "“给志愿者的备注”还能输入 9 个字。",
        "“给志愿者的备注”已满：最多 200 个字。",
    ]
    assert [len(t) for t in typed] == [178, 181, 185, 191, 200]  # the form still gets each
