"""The kiosk's idle clock, its input hook, its countdown and what a wipe forgets in the state."""

from __future__ import annotations

import asyncio
import inspect
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest
from control_tree import identifiers
from flet.messaging.session import Session

from app.i18n import set_language
from app.kiosk.actions import KioskActions
from app.kiosk.idle import IdleClock, IdlePhase, watch_input
from app.routes import resolve
from app.state import AppState, SyncStatus
from services.config import ClientSettings
from services.personal import PersonalView
from services.preferences import KIOSK_DEFAULTS, MemoryPreferencesStore, Preferences
from views.settings.screen import settings_view


def run_now(coroutine) -> None:
    """Run a coroutine that never waits, without an event loop (asyncio.run refuses to start
    one when an earlier test in the process left one running)."""
    try:
        coroutine.send(None)
    except StopIteration:
        return
    raise AssertionError("the coroutine waited for something")


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def chinese():
    set_language("zh_CN")


def test_the_clock_warns_counts_down_and_expires_only_while_in_use():
    clock = FakeClock()
    idle = IdleClock(60, 90, clock)
    clock.now += 500
    assert idle.phase() == IdlePhase()  # nobody has used it: nothing to forget, no countdown
    idle.touch()
    clock.now += 59.9
    assert idle.phase() == IdlePhase()
    clock.now += 0.1
    assert idle.phase() == IdlePhase(seconds_left=30)
    clock.now += 29.5
    assert idle.phase() == IdlePhase(seconds_left=1)
    idle.touch()  # any input starts the wait again
    assert idle.phase() == IdlePhase()
    clock.now += 90
    assert idle.phase().expired
    idle.wiped()
    clock.now += 1000
    assert idle.phase() == IdlePhase()


def test_the_reset_must_come_after_the_warning():
    with pytest.raises(ValueError):
        IdleClock(90, 60)
    with pytest.raises(ValueError):
        ClientSettings(kiosk_warn_after=90, kiosk_reset_after=60)
    with pytest.raises(ValueError):
        ClientSettings(env="production", memory_probe_dir="/tmp/probe")


def test_every_input_event_counts_but_the_sessions_own_do_not():
    assert "dispatch_event" in vars(Session)  # the hook's one entry point (a Flet upgrade check)
    assert list(inspect.signature(Session.dispatch_event).parameters)[1:] == [
        "control_id",
        "event_name",
        "event_data",
    ]
    delivered: list[str] = []

    async def dispatch(control_id: int, event_name: str, event_data: object) -> None:
        delivered.append(event_name)

    session = SimpleNamespace(dispatch_event=dispatch)
    inputs: list[int] = []
    watch_input(SimpleNamespace(session=session), lambda: inputs.append(1))
    names = ["click", "change", "connect", "disconnect", "close", "route_change", "keyboard_event"]
    for name in names:
        run_now(session.dispatch_event(1, name, None))
    assert delivered == names
    assert len(inputs) == 3


def kiosk(state: AppState) -> tuple[KioskActions, list[str], list[list[str]]]:
    told: list[str] = []
    spoken: list[list[str]] = []
    actions = KioskActions(
        state,
        SimpleNamespace(),
        IdleClock(60, 90, FakeClock()),
        told.append,
        spoken.append,
        lambda _p: None,
        lambda _r: None,
        lambda _t: None,
    )
    return actions, told, spoken


def test_the_countdown_is_said_when_it_starts_and_at_ten_seconds_only():
    state = AppState()
    actions, told, spoken = kiosk(state)
    for left in (30, 29, 28, 11, 10, 9):
        run_now(actions.show_countdown(left))
    assert state.kiosk.seconds_left == 9
    assert told == [
        "您还在吗？30 秒后本次使用将结束，您输入的所有信息都会清除。如需继续，请按“继续使用”。",
        "还剩 10 秒。",
    ]
    assert spoken == [[t] for t in told]  # and in the app's own voice
    actions.keep_going()
    assert state.kiosk.seconds_left is None and told[-1] == "继续使用，您的信息仍然保留。"


def test_every_screen_offers_finish_and_the_warning_offers_continue():
    state = AppState()
    actions, _told, _spoken = kiosk(state)
    screen_actions = SimpleNamespace(
        kiosk=actions, proxy=None, go=lambda _r: None, read_aloud=lambda _t: None
    )
    route, _ = resolve("/settings")
    found = identifiers(settings_view("/settings", route, state, screen_actions))
    assert "kiosk-finish" in found and "kiosk-continue" not in found
    state.kiosk.seconds_left = 12
    found = identifiers(settings_view("/settings", route, state, screen_actions))
    assert {"kiosk-finish", "kiosk-warning", "kiosk-countdown", "kiosk-continue"} <= found


def test_forgetting_the_session_keeps_only_the_public_state():
    state = AppState(ready=True, sync_status=SyncStatus.ONLINE, catalog_empty=False)
    state.signed_in = True
    state.personal = PersonalView(me={"id": 1, "name": "张阿姨"})
    state.drafts.phone = "13800000001"
    state.drafts.code = "246810"
    state.events.door_query = "张"
    state.form_message = "张阿姨 已签到"
    state.preferences = Preferences(large_text=False, tts_enabled=False)
    state.kiosk.seconds_left = 3
    drafts = state.drafts
    state.forget_session(KIOSK_DEFAULTS)
    assert state.ready and state.sync_status is SyncStatus.ONLINE and not state.catalog_empty
    assert not state.signed_in and state.personal == PersonalView()
    assert state.drafts is not drafts and state.drafts.phone == "" and state.drafts.code == ""
    assert (
        state.events.door_query == ""
        and state.form_message == ""
        and state.kiosk.seconds_left is None
    )
    assert state.preferences == KIOSK_DEFAULTS


def test_only_routes_this_person_reached_may_be_shown_and_a_wipe_forgets_them():
    state = AppState(route="/settings")  # where the kiosk's browser opened
    actions, _told, _spoken = kiosk(state)
    assert actions.may_show("/") and actions.may_show("/settings")
    assert not actions.may_show("/service/svc-x")  # only the browser's history knows it
    actions.going_to("/service/svc-x")
    assert actions.may_show("/service/svc-x")

    services = SimpleNamespace(
        sender=SimpleNamespace(waiting=lambda: 0),
        account=SimpleNamespace(sign_out=lambda: None),
    )
    actions.ctx = SimpleNamespace(
        personal=services,
        speaker=SimpleNamespace(stop=lambda: None),
        preferences=MemoryPreferencesStore(KIOSK_DEFAULTS),
    )
    run_in_thread(actions.wipe(timed_out=False))

    assert actions.may_show("/")
    assert not actions.may_show("/service/svc-x") and not actions.may_show("/settings")


def run_in_thread(coroutine) -> None:
    """asyncio.run in a thread of its own (another test may have left this thread's loop)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coroutine).result()
