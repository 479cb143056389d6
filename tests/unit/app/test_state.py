"""AppState is one observable made of each feature's small state: the shell follows only the
whole, so a change in any part must reach the whole's listeners, also after a kiosk wipe."""

from __future__ import annotations

from dataclasses import fields

import pytest

from app.state import AppState
from services.preferences import Preferences


def changes_of(state: AppState) -> list[str | None]:
    heard: list[str | None] = []

    def listener(_sender: object, name: str | None) -> None:
        heard.append(name)

    state._test_listener = listener  # held, as a component holds its subscription
    state.subscribe(listener)
    return heard


@pytest.mark.parametrize("part", AppState.parts())
def test_a_change_in_any_part_is_a_change_of_the_state(part: str):
    state = AppState()
    heard = changes_of(state)
    some_field = fields(getattr(state, part))[0].name
    setattr(getattr(state, part), some_field, object())
    assert heard == [part]


def test_parts_are_still_followed_after_a_wipe():
    state = AppState()
    state.account.code_sent = True
    state.forget_session(Preferences())
    heard = changes_of(state)
    assert state.account.code_sent is False
    state.account.confirm_sign_out = True
    state.kiosk.seconds_left = 9
    assert heard == ["account", "kiosk"]


def test_the_parts_are_each_features_own_state():
    state = AppState()
    parts = AppState.parts()
    assert len(parts) == 8
    for name in parts:
        assert type(getattr(state, name)).__module__ == f"app.{name}.state"


def test_a_message_that_takes_the_focus_is_a_new_node_each_time():
    """An action's outcome takes the focus (the button pressed may be gone); the same words
    told again take it again, so they carry a new number."""
    state = AppState(route="/events")
    state.tell("报名已保存。", queued=True, focus=True)
    first = state.form_focus
    state.tell("报名已保存。", queued=True, focus=True)
    assert state.form_focused and state.form_focus == first + 1


def test_all_sent_replaces_the_message_in_place_and_a_refusal_takes_no_focus():
    state = AppState(route="/events")
    state.tell("报名已保存。", queued=True, focus=True)
    number = state.form_focus
    state.tell("您的操作已全部发送。", route="/events", focus=None)  # the same node, new words
    assert (state.form_focused, state.form_focus) == (True, number)
    state.tell("活动已满。", error=True)
    assert not state.form_focused
    state.tell("您的操作已全部发送。", route="/events", focus=None)
    assert not state.form_focused
