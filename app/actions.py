"""What a screen can ask the session to do; views get one of these instead of the page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.account.actions import AccountActions
from app.context import AppContext
from app.events.actions import EventActions
from app.home.actions import HomeActions
from app.inbox.actions import InboxActions
from app.kiosk.actions import KioskActions
from app.matching.actions import MatchingActions
from app.proxy.actions import ProxyActions
from app.search.actions import SearchActions
from app.state import AppState
from app.trips.actions import TripActions
from services.clock import Clock
from services.preferences import Preferences

Navigate = Callable[[str], None]
RunTask = Callable[..., Any]  # page.run_task: run a coroutine function on the session's loop


@dataclass(frozen=True)
class Actions:
    go: Navigate
    change_preferences: Callable[[Preferences], None]
    read_aloud: Callable[[list[str]], None]
    announce: Callable[[str], None]  # to the screen reader (a live announcement), no more
    now: Clock  # the session's clock: screens name days ("today") from it, never the device's
    account: AccountActions
    inbox: InboxActions
    search: SearchActions
    matching: MatchingActions
    trips: TripActions
    events: EventActions
    home: HomeActions
    proxy: ProxyActions
    kiosk: KioskActions | None = None  # only on a kiosk (--kiosk)

    @classmethod
    def for_session(
        cls,
        state: AppState,
        ctx: AppContext,
        *,
        go: Navigate,
        change_preferences: Callable[[Preferences], None],
        apply_preferences: Callable[[Preferences], None],
        read_aloud: Callable[[list[str]], None],
        announce: Callable[[str], None],
        speak: Callable[[list[str]], None],
        run_task: RunTask,
        kiosk: KioskActions | None = None,
    ) -> Actions:
        """Every feature's screen actions for one session, over its state and context."""
        account = AccountActions(state, ctx, announce, go, run_task)
        refresh = account.refresh_view
        return cls(
            go=go,
            change_preferences=change_preferences,
            read_aloud=read_aloud,
            announce=announce,
            now=ctx.clock,
            account=account,
            inbox=InboxActions(state, ctx, announce, refresh),
            search=SearchActions(state, ctx, announce, run_task),
            matching=MatchingActions(state, ctx, announce, refresh),
            trips=TripActions(state, ctx, announce, refresh, go, speak),
            events=EventActions(state, ctx, announce, refresh, go, speak),
            home=HomeActions(state, ctx, announce, apply_preferences),
            proxy=ProxyActions(state, ctx, announce, refresh, go, speak, run_task=run_task),
            kiosk=kiosk,
        )
