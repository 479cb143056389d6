"""What the search screen can ask for: results as the person types, after a short pause.

Each keystroke only records the text; a search runs once typing pauses for ``DEBOUNCE`` seconds
(a screen-reader user then hears one count, not one per letter). The search runs off the UI
thread: the first one builds the index from the local store.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

from app.context import AppContext
from app.search.messages import result_count_sentence
from app.state import AppState

Announce = Callable[[str], None]
RunTask = Callable[[Callable[[], Coroutine[Any, Any, None]]], Any]

DEBOUNCE = 0.3  # seconds of no typing before searching
RESULT_LIMIT = 60


class SearchActions:
    def __init__(self, state: AppState, ctx: AppContext, announce: Announce, run_task: RunTask):
        self.state = state
        self.ctx = ctx
        self._announce = announce
        self._run_task = run_task
        self._typed = 0  # bumps on every keystroke; a search runs only if it is still current

    def typed(self, text: str) -> None:
        self.state.drafts.search = text
        self._typed += 1
        typed_now = self._typed

        async def after_pause() -> None:
            await asyncio.sleep(DEBOUNCE)
            if typed_now == self._typed:
                await self._search(text)

        self._run_task(after_pause)

    def submit(self, text: str) -> None:
        """Enter: search now."""
        self.state.drafts.search = text
        self._typed += 1

        async def now() -> None:
            await self._search(text)

        self._run_task(now)

    async def _search(self, text: str) -> None:
        query = text.strip()
        if not query:
            self.state.show_search(None)
            return
        result = await asyncio.to_thread(self.ctx.search.search, query, RESULT_LIMIT)
        if self.state.drafts.search.strip() != query:
            return  # the person typed on while we searched
        self.state.show_search(result)
        self._announce(result_count_sentence(result))
