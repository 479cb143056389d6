"""What the matching screen can ask for: add or change one fact about the person.

The answer goes through the outbox as a profile edit; the view shows it at once (the outbox
overlay), so the screen re-matches on the next frame, offline too. What changed is said in
``state.form_message`` (a live region) and through the announcer.
"""

from __future__ import annotations

from typing import Any

from app.account.messages import failure_sentence
from app.matching.messages import fact_error_sentence, rematched_sentence
from app.screen_actions import ScreenActions
from services.clock import shanghai_day
from services.errors import InputError, SunshineError
from services.matching import Match, match_local


class MatchingActions(ScreenActions):
    def answer(self, fact: str, value: Any) -> None:
        try:
            self.ctx.personal.personal.edit_facts({fact: value})
        except InputError as exc:
            self._tell(fact_error_sentence(exc), error=True)
            return
        except SunshineError as exc:
            self._tell(failure_sentence(exc), error=True)
            return
        self._queued()
        self._tell(rematched_sentence(self.matches()), queued=True)

    def matches(self) -> list[Match]:
        """What the person can get, judged on today's date in Shanghai."""
        return match_local(self.ctx.catalog, self.state.personal, shanghai_day(self.ctx.clock()))

    def toggle_editing(self) -> None:
        self.state.matching.editing_facts = not self.state.matching.editing_facts

    def toggle_not_eligible(self) -> None:
        self.state.matching.show_not_eligible = not self.state.matching.show_not_eligible
