"""Sentences the app says about its own state, shared by banners and announcements."""

from __future__ import annotations

from app.i18n import _
from app.state import SyncStatus


def sync_status_sentence(status: SyncStatus, catalog_empty: bool) -> str:
    if status is SyncStatus.OFFLINE:
        if catalog_empty:
            return _(
                "Offline, and nothing is saved on this device yet. Connect once to load the services."
            )
        return _(
            "Offline: showing what is saved on this device. It updates when the connection returns."
        )
    if status is SyncStatus.ONLINE:
        return _("Online: the service catalogue is up to date.")
    return _("Connecting…")


def back_online_sentence() -> str:
    return _("Back online: the service catalogue has been updated.")
