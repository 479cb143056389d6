"""Acting on behalf (代办) from the screens: the resident makes a one-time code, confirms on
their own device the consent a helper asks for (or refuses it), and withdraws consents; the
helper redeems a code, waits for the resident to confirm, acts, and stops. Making and redeeming
a code need the server at once and run off the UI thread; confirming, withdrawing and ending go
through the outbox.

While one side waits for the other (the resident for the helper to type the code, the helper
for the resident to confirm) the app looks every few seconds, for as long as a code or a pending
consent lives, instead of waiting for the next refresh.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from app.proxy.messages import (
    asked_sentence,
    code_sentence,
    confirmed_here_sentence,
    confirmed_sentence,
    ended_sentence,
    not_confirmed_sentence,
    proxy_failure_sentence,
    refused_sentence,
    request_sentence,
    spoken_code,
    started_sentence,
    stopped_sentence,
    withdrawn_sentence,
)
from app.screen_actions import GuidingActions
from services.errors import InputError, OfflineError, SunshineError
from services.proxy.commands import ProxyCommands
from services.proxy.states import is_active, is_pending

STOP_ACTING = "stop-acting"  # state.confirming: stop while actions for the resident wait
ACT_FOR = "/act-for"
RunTask = Callable[..., Any]  # page.run_task(coroutine function, *args)
T = TypeVar("T")
LOOK_EVERY = 3.0  # seconds between looks while one side waits for the other
LOOKS = 200  # 10 minutes of looks: a code, and a consent waiting for confirmation, live that long


class ProxyActions(GuidingActions):
    """Also given ``run_task``: making and redeeming a code wait for the server."""

    def __init__(self, *args: Any, run_task: RunTask, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._run_task = run_task

    @property
    def _services(self) -> ProxyCommands:
        return self.ctx.personal.proxy

    def _input_sentence(self, exc: InputError) -> str:
        return proxy_failure_sentence(exc)

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
            asked_before = {c["id"] for c in self.state.personal.consents}
            self._run_task(self._await_request, asked_before)
        finally:
            self.state.busy = False

    async def _await_request(self, asked_before: set[str]) -> None:
        """Tell the resident, in words and aloud, as soon as a helper redeemed the code."""
        looked = await self._look(
            self._services.watch_granted,
            lambda shown: any(is_pending(c) and c["id"] not in asked_before for c in shown),
        )
        if looked is None:
            return
        (consents,) = looked
        self._refresh_view()
        asking = next(c for c in consents if is_pending(c) and c["id"] not in asked_before)
        sentence = request_sentence(str((asking.get("helper") or {}).get("name") or ""))
        self._tell(sentence)
        self._speak([sentence])

    def confirm(self, consent_id: str, helper_name: str) -> None:
        self._queue(lambda: self._services.confirm(consent_id), confirmed_sentence(helper_name))

    def refuse(self, consent_id: str, helper_name: str) -> None:
        self._queue(lambda: self._services.withdraw(consent_id), refused_sentence(helper_name))

    def say_code(self) -> None:
        grant = self.state.proxy.consent_code
        if grant is not None:
            self._speak([spoken_code(str(grant["code"]))])

    def withdraw(self, consent_id: str, helper_name: str) -> None:
        self._queue(lambda: self._services.withdraw(consent_id), withdrawn_sentence(helper_name))

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
            name = str(consent["resident"].get("name") or "")
            if is_active(consent):  # a server from before residents confirmed
                await self._act_for(consent["id"], name)
            else:
                self._refresh_view()
                self._tell(asked_sentence(name))
                self._run_task(self._await_confirmation, consent["id"], name)
        finally:
            self.state.busy = False

    async def _await_confirmation(self, consent_id: str, name: str) -> None:
        """Act for the resident as soon as they confirm, if the helper is still waiting on
        this screen; otherwise say it, and the list there offers to act."""
        looked = await self._look(
            lambda: self._services.watch_held(consent_id),
            lambda consent: consent is None or not is_pending(consent),
        )
        if looked is None:
            return  # signed out or acting meanwhile: nothing to say here
        self._refresh_view()
        (held,) = looked
        if held is None:  # refused or lapsed (a pending consent leaves the helper's list)
            self._tell(not_confirmed_sentence(name), error=True)
        elif is_active(held) and self.state.route == ACT_FOR:
            await self._act_for(consent_id, name)
        elif is_active(held):
            self._tell(confirmed_here_sentence(name))

    def act_for(self, consent_id: str, name: str) -> None:
        """Act for the resident of a confirmed consent from the helper's list."""
        self._run_task(self._act_for, consent_id, name)

    async def _act_for(self, consent_id: str, name: str) -> None:
        try:
            await asyncio.to_thread(self._services.act_for, consent_id)
        except SunshineError as exc:
            self._tell(proxy_failure_sentence(exc), error=True)
            return
        self._refresh_view()
        self._go("/")
        self._tell(started_sentence(name))

    async def _look(self, look: Callable[[], T], done: Callable[[T], bool]) -> tuple[T] | None:
        """Look every few seconds until ``done`` says what was found is worth saying: that, in
        a 1-tuple; None if it never was, or once looking no longer makes sense (signed out,
        acting meanwhile)."""
        for _ in range(LOOKS):
            await asyncio.sleep(LOOK_EVERY)
            try:
                found = await asyncio.to_thread(look)
            except OfflineError:
                continue  # the next look may get through
            except SunshineError:
                return None
            if done(found):
                return (found,)
        return None

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
        self._queue(lambda: self._services.end(consent_id), ended_sentence(resident_name))
