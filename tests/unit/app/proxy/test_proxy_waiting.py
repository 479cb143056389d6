"""While one side of a consent waits for the other (app/proxy/actions.py): the helper acts as
soon as the resident confirms if still on the screen, is told where to go if not, and is told
when the resident refused; the resident hears at once that a helper redeemed the code. The
services are a scripted stand-in: what is tested is what the app does with their answers."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from app.i18n import set_language
from app.proxy import actions as proxy_actions
from app.proxy.actions import ProxyActions
from app.state import AppState
from services.clock import utc_now
from services.errors import OfflineError
from services.personal import PersonalView

PENDING = {
    "id": "c-1",
    "state": "pending",
    "resident": {"name": "张阿姨"},
    "helper": {"name": "王社工"},
}
ACTIVE = {**PENDING, "state": "active"}


class Scripted:
    """Answers each look with the next of ``answers`` (an exception is raised)."""

    def __init__(self, answers: list[Any]) -> None:
        self.answers: Iterator[Any] = iter(answers)
        self.acted: list[str] = []

    def _next(self) -> Any:
        answer = next(self.answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def watch_held(self, consent_id: str) -> Any:
        return self._next()

    def watch_granted(self) -> Any:
        return self._next()

    def act_for(self, consent_id: str) -> dict[str, Any]:
        self.acted.append(consent_id)
        return ACTIVE


@pytest.fixture(autouse=True)
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    set_language("zh_CN")
    monkeypatch.setattr(proxy_actions, "LOOK_EVERY", 0.0)


def actions(services: Scripted, route: str = "/act-for") -> tuple[ProxyActions, AppState, list]:
    state = AppState(signed_in=True, personal=PersonalView(me={"id": 9}), route=route)
    said: list[str] = []
    ctx = SimpleNamespace(clock=utc_now, personal=SimpleNamespace(proxy=services))
    proxy = ProxyActions(
        state,
        ctx,
        said.append,
        lambda: None,
        lambda _route: None,
        lambda sentences: said.extend(sentences),
        run_task=lambda *_a: None,
    )
    return proxy, state, said


def test_the_helper_acts_as_soon_as_the_resident_confirms():
    services = Scripted([PENDING, OfflineError("down"), PENDING, ACTIVE])
    proxy, _state, said = actions(services)

    asyncio.run(proxy._await_confirmation("c-1", "张阿姨"))

    assert services.acted == ["c-1"]
    assert said == ["您现在正在代张阿姨办理，显示的是对方的信息。"]


def test_a_helper_who_left_the_screen_is_told_where_to_act():
    services = Scripted([ACTIVE])
    proxy, _state, said = actions(services, route="/events")

    asyncio.run(proxy._await_confirmation("c-1", "张阿姨"))

    assert services.acted == [] and said == ["张阿姨已确认。打开“代他人办理”即可代其办理。"]


def test_a_refused_consent_is_said_as_not_confirmed():
    proxy, state, said = actions(Scripted([PENDING, None]))

    asyncio.run(proxy._await_confirmation("c-1", "张阿姨"))

    assert said[0].startswith("张阿姨没有确认") and state.form_error


def test_the_resident_hears_a_new_request_once_and_aloud():
    earlier = {**ACTIVE, "id": "old"}
    proxy, _state, said = actions(Scripted([[earlier], [PENDING, earlier]]), route="/consent")

    asyncio.run(proxy._await_request({"old"}))

    expected = "王社工请求代您办理。如果是您把同意码告诉了对方，请在下面确认；如果不是，请拒绝。"
    assert said == [expected, expected]  # announced, then spoken
