"""Acting on behalf (代办) from the screens: the resident makes a one-time code and withdraws
consents; the helper redeems a code, acts, and stops. Making and redeeming a code need the
server at once and run off the UI thread; withdrawing and ending go through the outbox."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from app.proxy.messages import (
    code_sentence,
    ended_sentence,
    proxy_failure_sentence,
    spoken_code,
    started_sentence,
    stopped_sentence,
    withdrawn_sentence,
)
from app.screen_actions import GuidingActions
from services.errors import InputError, SunshineError
from services.proxy.commands import ProxyCommands

STOP_ACTING = "stop-acting"  # state.confirming: stop while actions for the resident wait
RunTask = Callable[..., Any]  # page.run_task(coroutine function, *args)


class ProxyActions(GuidingActions):
    """Also given ``run_task``: making and redeeming a code wait for the server."""

    def __init__(self, *args: Any, run_task: RunTask, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._run_task = run_task

    @property
    def _services(self) -> ProxyCommands:
        return self.ctx.personal.proxy

    # -- the resident ---------------------------------------------------------------------------

    def create_code(self, lasts: str) -> None:
        self._run_task(self._create_code, lasts)

    async def _create_code(self, lasts: str) -> None:
        if self.state.busy:
            return
        self.state.busy = True
        try:
            grant = await asyncio.to_thread(self._services.create_code, lasts)
        except SunshineError as exc:
            self._tell(proxy_failure_sentence(exc), error=True)
        else:
            # Shown until it is used (a new consent appears) or it expires.
            consents = len(self.state.personal.consents)
            self.state.proxy.consent_code = {**grant, "consents_before": consents}
            sentence = code_sentence(grant, self.clock())
            self.state.tell("")  # the sentence is under the code itself
            self._announce(sentence)
            self._speak([sentence])
        finally:
            self.state.busy = False

    def say_code(self) -> None:
        grant = self.state.proxy.consent_code
        if grant is not None:
            self._speak([spoken_code(str(grant["code"]))])

    def withdraw(self, consent_id: str, helper_name: str) -> None:
        try:
            self._services.withdraw(consent_id)
        except SunshineError as exc:
            self._tell(proxy_failure_sentence(exc), error=True)
            return
        self._queued()
        self._tell(withdrawn_sentence(helper_name), queued=True)

    # -- the helper -----------------------------------------------------------------------------

    def type_phone(self, text: str) -> None:
        self.state.drafts.act_for_phone = text

    def type_code(self, text: str) -> None:
        self.state.drafts.consent_code = text

    def redeem(self) -> None:
        self._run_task(self._redeem)

    async def _redeem(self) -> None:
        if self.state.busy:
            return
        self.state.busy = True
        try:
            drafts = self.state.drafts
            consent = await asyncio.to_thread(
                self._services.redeem, drafts.act_for_phone, drafts.consent_code
            )
        except SunshineError as exc:
            self._tell(proxy_failure_sentence(exc), error=True)
        else:
            self.state.drafts.act_for_phone = self.state.drafts.consent_code = ""
            self._refresh_view()
            self._go("/")
            self._tell(started_sentence(consent["resident"]["name"]))
        finally:
            self.state.busy = False

    def stop(self, *, keep_waiting: bool = False) -> None:
        """Act as oneself again. While actions for the resident wait, ask first; confirmed,
        they are still sent later, as the resident (``keep_waiting``)."""
        self._run_task(self._stop, keep_waiting)

    async def _stop(self, keep_waiting: bool) -> None:
        try:
            await asyncio.to_thread(self._services.stop, keep_waiting=keep_waiting)
        except InputError as exc:
            if exc.code == "actions_waiting":
                self.state.confirming = STOP_ACTING
            self._tell(proxy_failure_sentence(exc), error=True)
            return
        except SunshineError as exc:
            self._tell(proxy_failure_sentence(exc), error=True)
            return
        self.state.confirming = None
        self._refresh_view()
        self._go("/")
        self._tell(stopped_sentence())

    def end(self, consent_id: str, resident_name: str) -> None:
        try:
            self._services.end(consent_id)
        except SunshineError as exc:
            self._tell(proxy_failure_sentence(exc), error=True)
            return
        self._queued()
        self._tell(ended_sentence(resident_name), queued=True)
