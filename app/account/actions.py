"""What the sign-in and profile screens can ask for; network work runs off the UI thread.

Each action says how it went in ``state.form_message`` (shown in a live region) and through
the announcer, so a screen-reader user hears the result without hunting for it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

from app.account.messages import (
    code_sent_sentence,
    contact_saved_sentence,
    failure_sentence,
    sign_out_warning,
    signed_in_sentence,
    signed_out_sentence,
)
from app.context import AppContext
from app.state import AppState
from services.errors import InputError, SunshineError
from services.personal import PersonalView

Announce = Callable[[str], None]
RunTask = Callable[[Callable[[], Coroutine[Any, Any, None]]], Any]


class AccountActions:
    def __init__(
        self,
        state: AppState,
        ctx: AppContext,
        announce: Announce,
        go: Callable[[str], None],
        run_task: RunTask,
    ) -> None:
        self.state = state
        self.ctx = ctx
        self.services = ctx.personal
        self._announce = announce
        self._go = go
        self._run_task = run_task

    # -- signing in ---------------------------------------------------------------------------

    def request_code(self) -> None:
        self._run_task(self._request_code)

    async def _request_code(self) -> None:
        if self.state.busy:
            return
        self.state.busy = True
        try:
            sent = await asyncio.to_thread(
                self.services.account.request_code, self.state.drafts.phone
            )
        except SunshineError as exc:
            self._tell(failure_sentence(exc), error=True)
        else:
            self.state.account.code_sent = True
            self._tell(code_sent_sentence(sent.phone, max(1, sent.expires_in // 60)))
        finally:
            self.state.busy = False

    def sign_in(self) -> None:
        self._run_task(self._sign_in)

    async def _sign_in(self) -> None:
        if self.state.busy:
            return
        self.state.busy = True
        drafts = self.state.drafts
        try:
            me = await asyncio.to_thread(self.services.account.sign_in, drafts.phone, drafts.code)
            await asyncio.to_thread(self.services.personal.refresh)
        except SunshineError as exc:
            self._tell(failure_sentence(exc), error=True)
            self.state.busy = False
            return
        drafts.code = ""
        self.state.busy = False
        self.state.account.code_sent = False
        self.refresh_view()
        self.ctx.outbox_runner.wake()  # actions left from an expired session go now
        self._go("/profile")
        self._announce(signed_in_sentence(str(me.get("name") or "")))

    # -- signing out --------------------------------------------------------------------------

    def sign_out(self, *, confirmed: bool = False) -> None:
        waiting = self.state.personal.waiting
        if waiting and not confirmed:
            self.state.account.confirm_sign_out = True
            self._tell(sign_out_warning(waiting), error=True)
            return
        self.services.account.sign_out()
        self.state.account.confirm_sign_out = False
        self.state.account.editing_contact = False
        self.state.drafts.contact = {}
        self.state.drafts.trip = self.state.drafts.volunteer = None
        self.state.notifications.seen = None  # the next person's waiting messages are not "new"
        self.refresh_view()
        self._go("/")
        self._announce(signed_out_sentence())

    def keep_signed_in(self) -> None:
        self.state.account.confirm_sign_out = False
        self._tell("")

    # -- the profile's contact fields ---------------------------------------------------------

    def start_editing(self) -> None:
        me = self.state.personal.me or {}
        self.state.drafts.contact = {
            "address": me.get("address") or "",
            "emergency_contact": me.get("emergency_contact") or "",
        }
        self.state.account.editing_contact = True
        self._tell("")

    def cancel_editing(self) -> None:
        self.state.account.editing_contact = False
        self._tell("")

    def save_contact(self) -> None:
        try:
            self.services.personal.edit_contact(dict(self.state.drafts.contact))
        except InputError as exc:
            if exc.code == "nothing_changed":
                self.state.account.editing_contact = False
            self._tell(failure_sentence(exc), error=exc.code != "nothing_changed")
            return
        except SunshineError as exc:
            self._tell(failure_sentence(exc), error=True)
            return
        self.state.account.editing_contact = False
        self.refresh_view()
        self.ctx.outbox_runner.wake()
        self._tell(contact_saved_sentence(), queued=True)

    # -- shared -------------------------------------------------------------------------------

    def refresh_view(self) -> None:
        """Re-read the person's data (server snapshot + waiting actions) into the state."""
        account = self.services.account
        self.state.signed_in = account.signed_in
        view = self.services.personal.view() if account.owner() is not None else PersonalView()
        self.state.personal = view
        if self.state.signed_in:
            self.state.session_expired = False

    def _tell(self, message: str, *, error: bool = False, queued: bool = False) -> None:
        self.state.tell(message, error=error, queued=queued)
        if message:
            self._announce(message)
