"""The services one app process shares between its sessions, wired once at start-up."""

from __future__ import annotations

import shlex
from dataclasses import dataclass

from app.display import apply_process_preferences
from app.features import OUTBOX_KINDS
from app.outbox_runner import OutboxRunner
from app.sync_runner import SyncRunner
from services.account.tokens import open_token_store
from services.api import ApiClient
from services.catalog import Catalog
from services.client import PersonalServices, build_personal_services
from services.clock import Clock, app_clock
from services.config import ClientSettings
from services.preferences import (
    KIOSK_DEFAULTS,
    MemoryPreferencesStore,
    PreferencesStorage,
    PreferencesStore,
)
from services.search import CatalogSearch
from services.speech.speaker import Speaker, shared_speaker
from services.sync import CatalogSync, LocalStore
from services.usage import ServiceUsage


@dataclass
class AppContext:
    settings: ClientSettings
    api_url: str
    store: LocalStore
    catalog: Catalog
    search: CatalogSearch
    runner: SyncRunner
    personal: PersonalServices
    outbox_runner: OutboxRunner
    preferences: PreferencesStorage
    speaker: Speaker
    usage: ServiceUsage  # which services this person opens, for the home (kept locally)
    clock: Clock  # "now" for every screen and action: one seam, Shanghai days from it
    kiosk: bool = False

    def close(self) -> None:
        self.speaker.close()
        self.store.close()


def build_context(settings: ClientSettings, api_url: str, *, kiosk: bool = False) -> AppContext:
    # A kiosk keeps the person's rows and display choices in memory only (DESIGN.md §3).
    tokens = open_token_store(settings.data_dir, kiosk=kiosk)
    store = LocalStore(settings.store_path, personal_in_memory=kiosk, key=tokens.data_key())
    api = ApiClient(api_url, timeout=settings.request_timeout)
    search = CatalogSearch(store)
    runner = SyncRunner(
        CatalogSync(api, store, listeners=[search.catalog_changed]), interval=settings.sync_interval
    )
    clock = app_clock(settings.test_now)
    personal = build_personal_services(api, store, tokens, OUTBOX_KINDS, clock=clock)
    preferences = (
        MemoryPreferencesStore(KIOSK_DEFAULTS) if kiosk else PreferencesStore(settings.data_dir)
    )
    speaker = (
        Speaker(player=shlex.split(settings.audio_player))
        if settings.audio_player
        else shared_speaker()
    )
    apply_process_preferences(preferences.load(), settings, speaker)
    return AppContext(
        settings=settings,
        api_url=api_url,
        store=store,
        catalog=Catalog(store),
        search=search,
        runner=runner,
        personal=personal,
        outbox_runner=OutboxRunner(personal, interval=settings.sync_interval),
        preferences=preferences,
        speaker=speaker,
        usage=ServiceUsage(store),
        clock=clock,
        kiosk=kiosk,
    )
