"""Customising the home screen (pin, reorder, hide) and noting which services a person opens.

The layout lives in the preferences (a file; a kiosk's memory), so it is kept across restarts
and works signed out. Every change is said, with the new position, for a screen reader.
"""

from __future__ import annotations

from collections.abc import Callable

from app.context import AppContext
from app.home.messages import (
    hidden_sentence,
    home_reset_sentence,
    moved_sentence,
    not_moved_sentence,
    pin_moved_sentence,
    pinned_sentence,
    shown_sentence,
    unpinned_sentence,
)
from app.routes import resolve
from app.state import AppState
from services.home_layout import HomeLayout
from services.preferences import Preferences

Announce = Callable[[str], None]


class HomeActions:
    def __init__(
        self,
        state: AppState,
        ctx: AppContext,
        announce: Announce,
        apply_preferences: Callable[[Preferences], None],
    ) -> None:
        self.state = state
        self.ctx = ctx
        self._announce = announce
        self._apply_preferences = apply_preferences

    @property
    def layout(self) -> HomeLayout:
        return self.state.preferences.home

    def move(self, section: str, offset: int) -> None:
        before = self.layout.position(section)[0]
        layout = self.layout.move(section, offset)
        place, count = layout.position(section)
        if place == before:
            self._announce(not_moved_sentence(section, first=offset < 0))
            return
        self._save(layout, moved_sentence(section, place, count))

    def hide(self, section: str) -> None:
        self._save(self.layout.hide(section), hidden_sentence(section))

    def show(self, section: str) -> None:
        self._save(self.layout.show(section), shown_sentence(section))

    def pin(self, service_id: str) -> None:
        self._save(self.layout.pin(service_id), pinned_sentence(self._name(service_id)))

    def unpin(self, service_id: str) -> None:
        self._save(self.layout.unpin(service_id), unpinned_sentence(self._name(service_id)))

    def move_pin(self, service_id: str, offset: int) -> None:
        layout = self.layout.move_pin(service_id, offset)
        self._save(
            layout,
            pin_moved_sentence(
                self._name(service_id), layout.pinned.index(service_id), len(layout.pinned)
            ),
        )

    def reset(self) -> None:
        self._save(HomeLayout(), home_reset_sentence())

    def note_route(self, route: str) -> None:
        """A service opened counts towards the person's high-frequency services (kept locally;
        a kiosk keeps them in memory and forgets them with the session)."""
        screen, params = resolve(route)
        if screen.identifier == "screen-service":
            # Counted for whom the person acts as: a helper's use is not the resident's.
            self.ctx.usage.record(self.ctx.personal.account.principal(), params["id"])

    def _save(self, layout: HomeLayout, sentence: str) -> None:
        self._apply_preferences(self.state.preferences.model_copy(update={"home": layout}))
        self._announce(sentence)

    def _name(self, service_id: str) -> str:
        service = self.ctx.catalog.service(service_id)
        return service_id if service is None else service.name
