"""What an action on a signed-in person's data shares: the state, the services, saying how it went.

An action queues its change in the outbox, re-reads the person's view (the change shows at once,
through the overlay), wakes the sender, and says the result in ``state.form_message`` (shown in
the screen's status, which takes the focus when the control pressed may be gone) and through
the announcer, so a screen-reader user hears it without hunting for it.
"""

from __future__ import annotations

from collections.abc import Callable

from app.account.messages import failure_sentence, input_error_sentence
from app.context import AppContext
from app.state import AppState
from services.clock import Clock
from services.errors import InputError, SunshineError

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

    def _queue(self, action: Callable[[], object], sentence: str) -> bool:
        """Queue ``action`` in the outbox; say ``sentence`` if it was accepted, else why not."""
        self.state.confirming = None
        try:
            action()
        except SunshineError as exc:
            self._refused(exc)
            return False
        self._queued()
        self._tell(sentence, queued=True)
        return True

    def _refused(self, exc: SunshineError) -> None:
        """Say why an action was not taken: bad input in the feature's own words if it has
        them (``_input_sentence``), anything else in the general ones."""
        if isinstance(exc, InputError):
            self._tell(self._input_sentence(exc), error=True)
        else:
            self._tell(failure_sentence(exc), error=True)

    def _input_sentence(self, exc: InputError) -> str:
        return input_error_sentence(exc)


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
