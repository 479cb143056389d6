"""The helpers name every control by construction and size it from the current look."""

from __future__ import annotations

import flet as ft

from accessibility.semantics import action_button, icon_button, text_input, toggle
from accessibility.theme import look_for, set_look


def test_icon_button_is_named_through_its_icon_not_only_a_tooltip():
    hook = icon_button("关闭", "close", ft.Icons.CLOSE, lambda _e: None)
    assert hook.identifier == "close"
    assert hook.content.icon.semantics_label == "关闭"


def test_text_input_label_is_its_name_and_text_follows_the_look():
    set_look(look_for(large_text=True))
    try:
        hook = text_input("手机号", "login-phone")
        assert hook.identifier == "login-phone"
        assert hook.content.label == "手机号"
        assert hook.content.text_size == look_for(large_text=True).scale.body
    finally:
        set_look(look_for())


def test_action_button_label_is_the_visible_text_and_hook_is_outside():
    hook = action_button("搜索服务", "nav-search", lambda _e: None, icon=ft.Icons.SEARCH)
    assert hook.identifier == "nav-search"
    assert hook.content.content.value == "搜索服务"
    assert hook.content.icon.semantics_label is None  # decorative: the label names the button


def test_toggle_row_is_at_least_a_target_high():
    hook = toggle("高对比度", "high-contrast", False, lambda _e: None)
    assert hook.content.height >= look_for().scale.target
    assert hook.content.content.label == "高对比度"


def test_a_choice_group_marks_exactly_the_chosen_button_on_the_buttons_own_node():
    from control_tree import find, walk

    from accessibility.semantics import choice_group

    chosen: list[str] = []
    group = choice_group([("0", "今天"), ("1", "明天")], "1", "trip-day", chosen.append)
    assert isinstance(group, ft.Semantics) and group.identifier == "trip-day-choices"
    flags = {}
    for value in ("0", "1"):
        merged = find(group, f"trip-day-{value}")
        # One node for flag, name and action: Flutter puts aria-current on the button itself.
        assert any(isinstance(n, ft.MergeSemantics) for n in walk(group))
        flags[value] = merged.selected
        assert isinstance(merged.content, ft.FilledButton if value == "1" else ft.OutlinedButton)
    assert flags == {"0": False, "1": True}
    find(group, "trip-day-0").content.on_click(None)
    assert chosen == ["0"]
    unset = choice_group([("a", "A")], None, "inbox-reply-7", chosen.append, required=False)
    assert unset.identifier == "inbox-reply-7-choices-optional"


def test_a_screens_h1_takes_focus_only_while_it_is_on_top():
    from accessibility.semantics import FocusedSemantics, screen

    top = screen("screen-x", "标题", [])
    below = screen("screen-home", "阳光申办", [], on_top=False)
    assert isinstance(top.content.controls[0], FocusedSemantics)
    assert top.content.controls[0].focused and top.content.controls[0].heading_level == 1
    assert not isinstance(below.content.controls[0], FocusedSemantics)


def test_the_window_title_names_the_screen():
    from app.i18n import set_language
    from app.routes import window_title

    set_language("zh_CN")
    assert window_title("/trips/new") == "请求助盲出行 - 阳光申办"
    assert window_title("/service/svc-x?from=home") == "服务事项 - 阳光申办"
    assert window_title("/") == "阳光申办"
    assert window_title("/nowhere") == "页面不存在 - 阳光申办"
