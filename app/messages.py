"""Sentences the app says about its own state, shared by banners and announcements."""

from __future__ import annotations

from app.i18n import LANGUAGES, _
from app.state import SyncStatus
from services.preferences import Preferences


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


def preferences_changed_sentence(old: Preferences, new: Preferences) -> str:
    """What to announce after a settings change, in the (possibly new) language."""
    sentences = []
    if old.large_text != new.large_text:
        sentences.append(_("Large text is on.") if new.large_text else _("Large text is off."))
    if old.high_contrast != new.high_contrast:
        sentences.append(
            _("High contrast is on.") if new.high_contrast else _("High contrast is off.")
        )
    if old.text_scale != new.text_scale:
        sentences.append(_("Text size: {percent}%.").format(percent=round(new.text_scale * 100)))
    if old.tts_enabled != new.tts_enabled:
        sentences.append(_("Read-aloud is on.") if new.tts_enabled else _("Read-aloud is off."))
    if old.speech_rate != new.speech_rate:
        sentences.append(_("Speech rate: {rate}.").format(rate=new.speech_rate))
    if old.language != new.language and new.language:
        sentences.append(_("Language: {name}.").format(name=LANGUAGES[new.language]))
    return " ".join(sentences)


def read_aloud_off_sentence() -> str:
    return _("Read-aloud is off. You can turn it on in Settings.")


def read_aloud_unavailable_sentence() -> str:
    return _("Read-aloud is not available on this device. Please use your screen reader.")


def switch_state(on: bool) -> str:
    """A switch's position, said with its name."""
    return _("On") if on else _("Off")


def chosen_label(choice: str) -> str:
    """The chosen one of a single choice, in words: Orca 43 does not say aria-current."""
    return _("{choice}, chosen").format(choice=choice)
