"""Pieces the trip screens share: one trip as a card, the code word, choices as buttons.

A trip card is a Semantics container named ``trip-<id>``: a screen reader reads its heading
(when, from where to where), then its state, who is coming, the code word, and its buttons.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import flet as ft

from accessibility.semantics import action_button, body_text, heading
from accessibility.theme import current_look
from app.actions import Actions
from app.i18n import _
from app.state import AppState
from app.trips.messages import (
    STARS,
    code_word_sentence,
    confirm_cancel_sentence,
    confirm_release_sentence,
    needs_sentence,
    notes_sentence,
    rating_sentence,
    star_label,
    state_sentence,
    trip_title,
    who_sentence,
)
from services.trips.states import can, role
from views.chrome import card, wrap
from views.controls import confirm_block


def translated(labels: dict[str, str]) -> dict[str, str]:
    """A table of msgids, in the current language."""
    return {value: _(label) for value, label in labels.items()}


def code_word_block(trip: dict[str, Any], actions: Actions) -> list[ft.Control]:
    """The code word, large, with a button that says it aloud."""
    sentence = code_word_sentence(trip)
    if sentence is None:
        return []
    scale = current_look().scale
    parts: list[ft.Control] = [
        ft.Text(sentence, size=scale.title, weight=ft.FontWeight.W_600),
    ]
    if trip.get("code_word"):
        parts.append(
            action_button(
                _("Say the code word"),
                f"trip-say-code-{trip['id']}",
                lambda _e: actions.trips.say_code_word(trip),
                icon=ft.Icons.RECORD_VOICE_OVER,
            )
        )
    return parts


def rating_buttons(trip: dict[str, Any], actions: Actions) -> list[ft.Control]:
    if not can(trip, "rate"):
        return []
    trip_id = trip["id"]
    return [
        wrap(
            [
                action_button(
                    star_label(stars),
                    f"trip-rate-{trip_id}-{stars}",
                    lambda _e, s=stars: actions.trips.rate(trip_id, s),
                )
                for stars in STARS
            ]
        )
    ]


def resident_buttons(trip: dict[str, Any], state: AppState, actions: Actions) -> list[ft.Control]:
    """What the person who asked can do: cancel while nobody is on the way, rate afterwards."""
    trip_id, trips = trip["id"], actions.trips
    if not can(trip, "cancel"):
        return rating_buttons(trip, actions)
    if state.confirming == f"cancel:{trip_id}":
        return confirm_block(
            confirm_cancel_sentence(trip, actions.now()),
            f"trip-cancel-{trip_id}",
            _("Yes, cancel the trip"),
            lambda _e: trips.cancel(trip_id),
            _("No, keep it"),
            lambda _e: trips.keep(),
        )
    return [
        action_button(
            _("Cancel this trip"),
            f"trip-cancel-{trip_id}",
            lambda _e: trips.ask_to_confirm("cancel", trip_id),
            icon=ft.Icons.CANCEL,
        )
    ]


def volunteer_buttons(trip: dict[str, Any], state: AppState, actions: Actions) -> list[ft.Control]:
    """What the volunteer on a trip can do next: start, complete, give it back, rate."""
    trip_id, trips = trip["id"], actions.trips
    if can(trip, "complete"):
        return [
            action_button(
                _("We have arrived: complete the trip"),
                f"trip-complete-{trip_id}",
                lambda _e: trips.complete(trip_id),
                primary=True,
            )
        ]
    if not can(trip, "start"):
        return rating_buttons(trip, actions)
    if state.confirming == f"release:{trip_id}":
        return confirm_block(
            confirm_release_sentence(trip, actions.now()),
            f"trip-release-{trip_id}",
            _("Yes, give it back"),
            lambda _e: trips.release(trip_id),
            _("No, I will go"),
            lambda _e: trips.keep(),
        )
    return [
        wrap(
            [
                action_button(
                    _("We have met: start the trip"),
                    f"trip-start-{trip_id}",
                    lambda _e: trips.start(trip_id),
                    primary=True,
                ),
                action_button(
                    _("I cannot go: give the trip back"),
                    f"trip-release-{trip_id}",
                    lambda _e: trips.ask_to_confirm("release", trip_id),
                ),
            ]
        )
    ]


def trip_card(trip: dict[str, Any], state: AppState, actions: Actions) -> ft.Control:
    """One trip of mine, as the person who asked or as its volunteer."""
    parts: list[ft.Control] = [
        heading(trip_title(trip, actions.now()), level=2),
        body_text(state_sentence(trip), weight=ft.FontWeight.W_600),
        body_text(needs_sentence(trip)),
    ]
    who = who_sentence(trip)
    if who:
        parts.append(body_text(who))
    parts += code_word_block(trip, actions)
    for line in (notes_sentence(trip), rating_sentence(trip)):
        if line:
            parts.append(body_text(line))
    buttons = volunteer_buttons if role(trip) == "volunteer" else resident_buttons
    parts += buttons(trip, state, actions)
    return card(f"trip-{trip['id']}", parts)


def by_start(
    trips: Iterable[dict[str, Any]], *, newest_first: bool = False
) -> list[dict[str, Any]]:
    return sorted(trips, key=lambda t: str(t.get("start_at")), reverse=newest_first)
