"""What the 政策找人 inbox screen can ask for: answering a pushed policy, through the outbox.

The answer shows at once (the outbox overlay) and is sent by the outbox runner; the result is
said in ``state.form_message`` (a live region) and through the announcer.
"""

from __future__ import annotations

from app.account.messages import failure_sentence
from app.inbox.messages import reply_saved_sentence
from app.screen_actions import ScreenActions
from services.errors import SunshineError


class InboxActions(ScreenActions):
    def reply(self, item_id: int, answer: str) -> None:
        """Answer (or change the answer to) one pushed policy."""
        try:
            self.ctx.personal.personal.reply_inbox(item_id, answer)
        except SunshineError as exc:
            self._tell(failure_sentence(exc), error=True)
            return
        self._queued()
        self._tell(reply_saved_sentence(answer), queued=True)
