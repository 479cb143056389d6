"""Per-session state the views are drawn from; it owns its mutations."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import flet as ft

from services.catalog import Catalog, District, ServiceItem
from services.preferences import Preferences


class SyncStatus(StrEnum):
    CONNECTING = "connecting"
    ONLINE = "online"
    OFFLINE = "offline"


@ft.observable
@dataclass
class AppState:
    route: str = "/"
    # False until the client has fonts and theme: the first frame must draw no CJK text,
    # or Flutter web asks the internet for fallback fonts (DESIGN.md §5).
    ready: bool = False
    sync_status: SyncStatus = SyncStatus.CONNECTING
    districts: list[District] = field(default_factory=list)
    common_services: list[ServiceItem] = field(default_factory=list)
    catalog_empty: bool = True
    preferences: Preferences = field(default_factory=Preferences)

    def route_change(self, e: ft.RouteChangeEvent) -> None:
        self.route = e.route

    def refresh_catalog(self, catalog: Catalog) -> None:
        self.districts = catalog.districts()
        self.common_services = catalog.common_services()
        self.catalog_empty = catalog.is_empty()
