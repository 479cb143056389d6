"""What the 政策找人 inbox screen can ask for: answering a pushed policy, through the outbox.

The answer shows at once (the outbox overlay) and is sent by the outbox runner; the result is
said in ``state.form_message`` (a live region) and through the announcer.
"""

from __future__ import annotations

from collections.abc import Callable

from app.account_messages import failure_sentence
from app.context import AppContext
from app.inbox_messages import reply_saved_sentence
from app.state import AppState
from services.errors import SunshineError

Announce = Callable[[str], None]


class InboxActions:
    def __init__(
        self,
        state: AppState,
        ctx: AppContext,
        announce: Announce,
        refresh_view: Callable[[], None],
    ) -> None:
        self.state = state
        self.ctx = ctx
        self._announce = announce
        self._refresh_view = refresh_view

    def reply(self, item_id: int, answer: str) -> None:
        """Answer (or change the answer to) one pushed policy."""
        try:
            self.ctx.personal.personal.reply_inbox(item_id, answer)
        except SunshineError as exc:
            self._tell(failure_sentence(exc), error=True)
            return
        self._refresh_view()
        self.ctx.outbox_runner.wake()
        self._tell(reply_saved_sentence(answer))

    def _tell(self, message: str, *, error: bool = False) -> None:
        self.state.tell(message, error=error)
        self._announce(message)
