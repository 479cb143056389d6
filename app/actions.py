"""What a screen can ask the session to do; views get one of these instead of the page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.account.actions import AccountActions
from app.events.actions import EventActions
from app.home.actions import HomeActions
from app.inbox.actions import InboxActions
from app.kiosk.actions import KioskActions
from app.matching.actions import MatchingActions
from app.proxy.actions import ProxyActions
from app.search.actions import SearchActions
from app.trips.actions import TripActions
from services.clock import Clock
from services.preferences import Preferences

Navigate = Callable[[str], None]


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
