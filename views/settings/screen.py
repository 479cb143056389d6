"""Settings (screen-settings): 长辈版, high contrast, text size, read-aloud, language.

Every change is saved, applied at once without a restart, and announced.
"""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from accessibility.semantics import action_button, body_text, choice_group, heading, toggle
from accessibility.theme import TEXT_SCALES, current_look
from app.actions import Actions
from app.i18n import LANGUAGES, _, current_language
from app.messages import chosen_label, switch_state
from app.registry import Route
from app.state import AppState
from services.preferences import Preferences
from views.chrome import screen_view

RATE_STEP = 30


def settings_view(path: str, route: Route, state: AppState, actions: Actions) -> ft.View:
    prefs = state.preferences

    def change(**fields: object) -> None:
        actions.change_preferences(prefs.model_copy(update=fields))

    def switch(label: str, identifier: str, field: str) -> ft.Control:
        return toggle(
            label,
            identifier,
            getattr(prefs, field),
            lambda on: change(**{field: on}),
            state=switch_state(getattr(prefs, field)),
        )

    scales = list(TEXT_SCALES)
    scale_at = min(range(len(scales)), key=lambda i: abs(scales[i] - prefs.text_scale))
    rate_low, rate_high = speech_rate_bounds()
    return screen_view(
        path,
        route.identifier,
        _(route.title),
        [
            heading(_("Display"), level=2),
            switch(_("Large text (for older people)"), "large-text", "large_text"),
            switch(_("High contrast"), "high-contrast", "high_contrast"),
            stepper(
                (_("Smaller text"), "text-scale-down", ft.Icons.TEXT_DECREASE),
                lambda: change(text_scale=scales[max(scale_at - 1, 0)]),
                (
                    "text-scale",
                    _("Text size: {percent}%.").format(percent=round(scales[scale_at] * 100)),
                ),
                (_("Larger text"), "text-scale-up", ft.Icons.TEXT_INCREASE),
                lambda: change(text_scale=scales[min(scale_at + 1, len(scales) - 1)]),
            ),
            heading(_("Read aloud"), level=2),
            switch(_("Read-aloud"), "tts-toggle", "tts_enabled"),
            stepper(
                (_("Slower"), "speech-rate-down", None),
                lambda: change(speech_rate=max(prefs.speech_rate - RATE_STEP, rate_low)),
                ("speech-rate", _("Speech rate: {rate}.").format(rate=prefs.speech_rate)),
                (_("Faster"), "speech-rate-up", None),
                lambda: change(speech_rate=min(prefs.speech_rate + RATE_STEP, rate_high)),
            ),
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


ButtonSpec = tuple[str, str, ft.IconData | None]  # label, identifier, icon


def stepper(
    down: ButtonSpec,
    on_down: Callable[[], None],
    value: tuple[str, str],  # identifier, sentence
    up: ButtonSpec,
    on_up: Callable[[], None],
) -> ft.Control:
    """Down, the current value in words, up: real buttons, not a slider, for every input method.

    The value is not a live region: the session announces each change once.
    """
    gap = current_look().scale.gap
    value_id, sentence = value
    return ft.Row(
        [
            action_button(down[0], down[1], lambda _e: on_down(), icon=down[2]),
            ft.Semantics(identifier=value_id, content=body_text(sentence)),
            action_button(up[0], up[1], lambda _e: on_up(), icon=up[2]),
        ],
        wrap=True,
        spacing=gap,
        run_spacing=gap,
        vertical_alignment=ft.CrossAxisAlignment.CENTER,
    )


def speech_rate_bounds() -> tuple[int, int]:
    """The rate limits the Preferences model enforces, so the buttons never step past them."""
    bounds = Preferences.model_fields["speech_rate"].metadata
    low = next(m.ge for m in bounds if hasattr(m, "ge"))
    high = next(m.le for m in bounds if hasattr(m, "le"))
    return low, high


def language_choice(change: Callable[..., None]) -> ft.Control:
    """One button per language, named in its own language; the current one is marked."""
    return choice_group(
        list(LANGUAGES.items()),
        current_language(),
        "language",
        lambda code: change(language=code),
        identifier="language",
        label=_("Language"),
        mark_chosen=chosen_label,
    )
