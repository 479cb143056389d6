"""The helpers name every control by construction and size it from the current look."""

from __future__ import annotations

from types import SimpleNamespace

import flet as ft
import pytest

from accessibility.semantics import action_button, icon_button, text_input, toggle
from accessibility.theme import look_for, set_look
from tests import paths


def test_icon_button_is_named_through_its_icon_not_only_a_tooltip():
    hook = icon_button("关闭", "close", ft.Icons.CLOSE, lambda _e: None)
    assert hook.identifier == "close"
    assert hook.content.icon.semantics_label == "关闭"


def test_text_input_label_is_its_name_and_text_follows_the_look():
    set_look(look_for(large_text=True))
    try:
        hook = text_input("手机号", "login-phone")
        assert hook.identifier == "login-phone"
        # The label is drawn above the box (it wraps), merged with the field into its name.
        assert isinstance(hook.content, ft.MergeSemantics)
        caption, row = hook.content.content.controls
        assert caption.value == "手机号" and caption.max_lines is None
        (field,) = row.controls  # a row the field fills, so it is as wide as the screen
        assert field.expand and field.label is None and field.hint_max_lines > 1
        assert field.text_size == caption.size == look_for(large_text=True).scale.body
    finally:
        set_look(look_for())


def test_action_button_label_is_the_visible_text_and_hook_is_outside():
    hook = action_button("搜索服务", "nav-search", lambda _e: None, icon=ft.Icons.SEARCH)
    assert hook.identifier == "nav-search"
    assert hook.content.content.value == "搜索服务"
    assert hook.content.icon.semantics_label is None  # decorative: the label names the button


@pytest.mark.parametrize(("large", "scale"), [(False, 1.0), (True, 1.0), (False, 2.0)])
def test_a_toggle_is_one_node_a_target_tall_its_label_wraps_and_either_part_toggles(
    large: bool, scale: float
):
    from control_tree import walk

    set_look(look_for(large, False, scale))
    try:
        said: list[bool] = []
        hook = toggle(
            "大字版（长辈版）：文字更大，按钮更大", "large-text", False, said.append, state="已关闭"
        )
        # Its position is in words, so said with its name (Orca never reads a Flutter
        # switch's aria-checked).
        assert [n.value for n in walk(hook) if isinstance(n, ft.Text)][1] == "已关闭"
        merged = hook.content
        assert isinstance(merged, ft.MergeSemantics)  # name, state and action in one node
        padded = merged.content
        switch_box, words = padded.content.controls
        look = look_for(large, False, scale)
        assert switch_box.height + 2 * padded.padding.top >= look.scale.target
        assert switch_box.width >= 60 * min(2.0, look.scale.body / 16)  # grows with the text
        text = next(n for n in walk(words) if isinstance(n, ft.Text))
        assert text.value == "大字版（长辈版）：文字更大，按钮更大"
        assert text.overflow is not ft.TextOverflow.ELLIPSIS and text.max_lines is None  # wraps
        assert words.expand  # takes the rest of the row, so it can wrap
        words.on_tap(None)
        switch_box.content.on_change(SimpleNamespace(control=SimpleNamespace(value=True)))
        assert said == [True, True]
    finally:
        set_look(look_for())


def test_a_choice_group_marks_exactly_the_chosen_button_on_the_buttons_own_node():
    from control_tree import find, texts, walk

    from accessibility.semantics import choice_group
    from accessibility.theme import current_look

    chosen: list[str] = []
    group = choice_group(
        [("0", "今天"), ("1", "明天")],
        "1",
        "trip-day",
        chosen.append,
        mark_chosen="{}，已选".format,
    )
    assert isinstance(group, ft.Semantics) and group.identifier == "choices-trip-day"
    flags, fills, kinds = {}, {}, set()
    for value in ("0", "1"):
        merged = find(group, f"trip-day-{value}")
        # One node for flag, name and action: Flutter puts aria-current on the button itself.
        assert any(isinstance(n, ft.MergeSemantics) for n in walk(group))
        flags[value] = merged.selected
        kinds.add(type(merged.content))
        fills[value] = merged.content.style.bgcolor
    assert flags == {"0": False, "1": True}
    # The chosen one says so in words too (Orca 43 says nothing for aria-current).
    assert [texts(find(group, f"trip-day-{v}")) for v in ("0", "1")] == ["今天", "明天，已选"]
    # Choosing changes the fill, never the kind of button: a new kind is a new widget, and the
    # keyboard focus on the button just chosen would be lost (heard through Orca).
    assert len(kinds) == 1
    assert fills == {"0": None, "1": current_look().palette.primary}
    find(group, "trip-day-0").content.on_click(None)
    assert chosen == ["0"]
    unset = choice_group(
        [("a", "A")], None, "inbox-reply-7", chosen.append, mark_chosen=str, required=False
    )
    assert unset.identifier == "choices-optional-inbox-reply-7"


def test_a_screens_h1_takes_focus_only_while_it_is_on_top():
    from accessibility.semantics import FocusedSemantics, screen

    top = screen("screen-x", "标题", [])
    below = screen("screen-home", "阳光申办", [], on_top=False)
    # The screen reader's focus (the semantics flag) and the keyboard's (a focus node, so
    # Tab goes on from the screen's name, not from 返回 at the top: heard through Orca).
    keyboard = top.content.controls[0]
    assert isinstance(keyboard, ft.KeyboardListener) and keyboard.autofocus
    assert not keyboard.include_semantics  # the heading stays a heading
    h1 = keyboard.content
    assert isinstance(h1, FocusedSemantics) and h1.focused and h1.heading_level == 1
    assert not below.content.controls[0].autofocus
    assert not isinstance(below.content.controls[0].content, FocusedSemantics)


def test_the_window_title_names_the_screen():
    from app.i18n import set_language
    from app.routes import window_title

    set_language("zh_CN")
    assert window_title("/trips/new") == "请求助盲出行 - 阳光申办"
    assert window_title("/service/svc-x?from=home") == "服务事项 - 阳光申办"
    assert window_title("/") == "阳光申办"
    assert window_title("/nowhere") == "页面不存在 - 阳光申办"


def test_no_screen_ends_a_text_in_an_ellipsis():
    """A label cut to "大字版（长辈…" hides what the control does; every text wraps instead."""

    root = paths.REPO_ROOT
    cut = [
        f"{path.relative_to(root)}:{number}"
        for folder in ("views", "accessibility", "app")
        for path in sorted((root / folder).glob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "TextOverflow.ELLIPSIS" in line or "overflow=ft.TextOverflow" in line
    ]
    assert cut == []
