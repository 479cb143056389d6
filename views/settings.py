"""Settings (screen-settings): 长辈版, high contrast, text size, read-aloud, language.

Every change is saved, applied at once without a restart, and announced.
"""

from __future__ import annotations

import flet as ft

from accessibility.semantics import action_button, body_text, heading, toggle
from accessibility.theme import TEXT_SCALES, current_look
from app.actions import Actions
from app.i18n import LANGUAGES, _, current_language
from app.routes import Route
from app.state import AppState
from services.preferences import Preferences
from views.chrome import screen_view

RATE_STEP = 30


def settings_view(path: str, route: Route, state: AppState, actions: Actions) -> ft.View:
    prefs = state.preferences

    def change(**fields: object) -> None:
        actions.change_preferences(prefs.model_copy(update=fields))

    return screen_view(
        path,
        route.identifier,
        _(route.title),
        [
            heading(_("Display"), level=2),
            toggle(
                _("Large text (for older people)"),
                "large-text",
                prefs.large_text,
                lambda e: change(large_text=bool(e.control.value)),
            ),
            toggle(
                _("High contrast"),
                "high-contrast",
                prefs.high_contrast,
                lambda e: change(high_contrast=bool(e.control.value)),
            ),
            text_size_row(prefs, change),
            heading(_("Read aloud"), level=2),
            toggle(
                _("Read-aloud"),
                "tts-toggle",
                prefs.tts_enabled,
                lambda e: change(tts_enabled=bool(e.control.value)),
            ),
            speech_rate_row(prefs, change),
            action_button(
                _("Try read-aloud"),
                "tts-try",
                lambda _e: actions.read_aloud([_("This is how Sunshine reads aloud.")]),
                icon=ft.Icons.VOLUME_UP,
            ),
            heading(_("Language"), level=2),
            language_choice(change),
        ],
        actions,
    )


def text_size_row(prefs: Preferences, change) -> ft.Control:
    steps = list(TEXT_SCALES)
    index = min(range(len(steps)), key=lambda i: abs(steps[i] - prefs.text_scale))
    gap = current_look().scale.gap
    return ft.Row(
        [
            action_button(
                _("Smaller text"),
                "text-scale-down",
                lambda _e: change(text_scale=steps[max(index - 1, 0)]),
                icon=ft.Icons.TEXT_DECREASE,
            ),
            # Not a live region: the change itself is announced once, by the session.
            ft.Semantics(
                identifier="text-scale",
                content=body_text(
                    _("Text size: {percent}%.").format(percent=round(steps[index] * 100))
                ),
            ),
            action_button(
                _("Larger text"),
                "text-scale-up",
                lambda _e: change(text_scale=steps[min(index + 1, len(steps) - 1)]),
                icon=ft.Icons.TEXT_INCREASE,
            ),
        ],
        wrap=True,
        spacing=gap,
        run_spacing=gap,
        vertical_alignment=ft.CrossAxisAlignment.CENTER,
    )


def speech_rate_row(prefs: Preferences, change) -> ft.Control:
    bounds = Preferences.model_fields["speech_rate"].metadata
    low = next(m.ge for m in bounds if hasattr(m, "ge"))
    high = next(m.le for m in bounds if hasattr(m, "le"))
    gap = current_look().scale.gap
    return ft.Row(
        [
            action_button(
                _("Slower"),
                "speech-rate-down",
                lambda _e: change(speech_rate=max(prefs.speech_rate - RATE_STEP, low)),
            ),
            ft.Semantics(
                identifier="speech-rate",
                content=body_text(_("Speech rate: {rate}.").format(rate=prefs.speech_rate)),
            ),
            action_button(
                _("Faster"),
                "speech-rate-up",
                lambda _e: change(speech_rate=min(prefs.speech_rate + RATE_STEP, high)),
            ),
        ],
        wrap=True,
        spacing=gap,
        run_spacing=gap,
        vertical_alignment=ft.CrossAxisAlignment.CENTER,
    )


def language_choice(change) -> ft.Control:
    """One button per language, named in its own language; the current one is marked."""
    gap = current_look().scale.gap
    chosen = current_language()
    buttons = [
        ft.Semantics(
            selected=code == chosen,
            content=action_button(
                name,
                f"language-{code}",
                lambda _e, code=code: change(language=code),
                primary=code == chosen,
            ),
        )
        for code, name in LANGUAGES.items()
    ]
    return ft.Semantics(
        identifier="language",
        container=True,
        label=_("Language"),
        content=ft.Row(buttons, wrap=True, spacing=gap, run_spacing=gap),
    )
