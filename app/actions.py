"""What a screen can ask the session to do; views get one of these instead of the page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.account_actions import AccountActions
from app.event_actions import EventActions
from app.home_actions import HomeActions
from app.inbox_actions import InboxActions
from app.kiosk_actions import KioskActions
from app.matching_actions import MatchingActions
from app.proxy_actions import ProxyActions
from app.search_actions import SearchActions
from app.trip_actions import TripActions
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
