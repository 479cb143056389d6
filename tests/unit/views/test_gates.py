"""The notices every signed-in screen carries: an action's outcome takes the focus (the button
pressed may be gone) and stays first, so the notices that come and go below it never move
the node that holds the focus."""

from __future__ import annotations

import flet as ft
from control_tree import find, screen_actions, walk

from app.state import AppState
from services.personal import PersonalView
from views.gates import status_notices


def notices(state: AppState) -> list:
    return status_notices(state, "events-status", screen_actions())


def first_identifier(control: object) -> str:
    return next(n.identifier for n in walk(control) if isinstance(n, ft.Semantics) and n.identifier)


def focus_takers(controls: list) -> list:
    return [n for c in controls for n in walk(c) if getattr(n, "focused", None) is True]


def test_an_outcome_takes_the_focus_above_the_actions_still_waiting():
    state = AppState(route="/events", personal=PersonalView(waiting=1))
    state.tell("报名已保存。", queued=True, focus=True)
    shown = notices(state)
    (taker,) = focus_takers(shown)
    assert taker.key == f"events-status-{state.form_focus}"
    assert taker.identifier == "events-status"
    assert [first_identifier(c) for c in shown] == ["events-status", "outbox-waiting"]


def test_a_refusal_or_a_message_told_by_the_app_takes_no_focus():
    state = AppState(route="/events")
    state.tell("活动已满。", error=True)
    assert focus_takers(notices(state)) == []
    assert find(notices(state)[0], "events-status")
