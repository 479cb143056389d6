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
