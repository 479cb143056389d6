"""What an action on a signed-in person's data shares: the state, the services, saying how it went.

An action queues its change in the outbox, re-reads the person's view (the change shows at once,
through the overlay), wakes the sender, and says the result in ``state.form_message`` (a live
region) and through the announcer, so a screen-reader user hears it without hunting for it.
"""

from __future__ import annotations

from collections.abc import Callable

from app.context import AppContext
from app.state import AppState
from services.clock import Clock

Announce = Callable[[str], None]
Speak = Callable[[list[str]], None]


class ScreenActions:
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

    def _queued(self) -> None:
        """After an action is in the outbox: show it and send it soon."""
        self._refresh_view()
        self.ctx.outbox_runner.wake()

    def _tell(
        self, message: str, *, error: bool = False, queued: bool = False, route: str | None = None
    ) -> None:
        """Say an action's outcome: shown in the screen's status, announced once.
        ``queued``: it confirms an action still to be sent (see ``AppState.form_queued``);
        ``route``: the screen it is shown on, when the action moves to another one (its
        heading takes the focus). Else a success takes the focus: the control pressed may be
        gone; a refusal leaves it where it was, on what is to be corrected."""
        focus = route is None and not error
        self.state.tell(message, error=error, queued=queued, route=route, focus=focus)
        self._announce(message)


class GuidingActions(ScreenActions):
    """Actions that also move to another screen, say a confirmation with the app's own voice,
    and read the time (trips and events: a test sets the clock)."""

    def __init__(
        self,
        state: AppState,
        ctx: AppContext,
        announce: Announce,
        refresh_view: Callable[[], None],
        go: Callable[[str], None],
        speak: Speak,
        clock: Clock | None = None,
    ) -> None:
        super().__init__(state, ctx, announce, refresh_view)
        self._go = go
        self._speak = speak
        self.clock = clock or ctx.clock
