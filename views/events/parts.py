"""Pieces the event screens share: an event as a card, my sign-up and what I can do with it.

What is offered follows the person's sign-up and the event's deadlines by this device's clock;
the server decides in the end, and a late refusal is spoken (``app.shell``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import flet as ft

from accessibility.semantics import action_button, body_text, heading
from accessibility.theme import current_look
from app.actions import Actions
from app.events.messages import (
    PERSON_EXCUSES,
    checked_in_sentence,
    confirm_cancel_signup_sentence,
    event_title,
    excuse_sentence,
    guide_sentence,
    personal_code_sentence,
    place_words,
    places_sentence,
    reason_options,
    signup_sentence,
    venue_sentence,
)
from app.i18n import _
from app.state import AppState
from services.catalog import Catalog, Event
from services.events.commands import attendee_qr_png, my_signup, spoken_code
from services.events.states import (
    HOLDING,
    can_ask_for_guide,
    can_cancel,
    can_check_in,
    can_excuse,
    signup_open,
)
from services.rows import find
from views.chrome import card, wrap
from views.controls import confirm_block, sent_field


def record(event: Event) -> dict[str, Any]:
    return event.model_dump()


def venue_of(event: Event, catalog: Catalog) -> dict[str, Any] | None:
    venue = catalog.institution(event.institution_id) if event.institution_id else None
    return None if venue is None else venue.model_dump()


def active_signup(state: AppState, event_id: str) -> dict[str, Any] | None:
    """My sign-up for the event while it holds a place or a wait-list number; else None."""
    signup = my_signup(state.personal, event_id)
    return signup if signup is not None and signup.get("state") in HOLDING else None


def event_card(
    event: Event, catalog: Catalog, state: AppState, actions: Actions, now: datetime
) -> ft.Control:
    """One event in the list: name and time, place, places left, where I stand, what I can do."""
    data = record(event)
    signup = active_signup(state, event.id)
    parts: list[ft.Control] = [
        heading(event_title(data, now), level=2),
        body_text(venue_sentence(data, venue_of(event, catalog))),
        body_text(places_sentence(data), weight=ft.FontWeight.W_600),
    ]
    if signup is not None:
        parts.append(body_text(signup_sentence(signup)))
    buttons = [
        action_button(
            _("Details and accessibility"),
            f"event-open-{event.id}",
            lambda _e: actions.go(f"/event/{event.id}"),
        )
    ]
    if signup is None:
        buttons += signup_button(event, state, actions, now)
    elif can_check_in(event, signup, now):
        buttons.append(
            action_button(
                _("Check in"),
                f"checkin-{event.id}",
                lambda _e: actions.go(f"/event/{event.id}"),
                primary=True,
            )
        )
    parts.append(wrap(buttons))
    return card(f"event-{event.id}", parts, name=str(data.get("title") or ""))  # not its time


def signup_button(
    event: Event, state: AppState, actions: Actions, now: datetime
) -> list[ft.Control]:
    """Sign up while it is open; someone signed out is sent to sign in first."""
    if not signup_open(event, now):
        return [body_text(_("Sign-up has closed."))]
    if not state.signed_in and state.personal.me is None:
        return [
            action_button(
                _("Sign in to sign up"), f"signup-{event.id}", lambda _e: actions.go("/login")
            )
        ]
    full = int(event.places_left or 0) <= 0
    return [
        action_button(
            _("Join the waiting list") if full else _("Sign up"),
            f"signup-{event.id}",
            lambda _e: actions.events.sign_up(event.id),
            primary=True,
        )
    ]


def my_signup_block(
    event: Event,
    signup: dict[str, Any],
    catalog: Catalog,
    state: AppState,
    actions: Actions,
    now: datetime,
) -> list[ft.Control]:
    """Where I stand, my code (large, spoken, as a QR code), check-in, cancel, excuse, guide."""
    controls: list[ft.Control] = [
        heading(_("My sign-up"), level=2),
        body_text(signup_sentence(signup), weight=ft.FontWeight.W_600),
    ]
    for line in (checked_in_sentence(signup), excuse_sentence(signup)):
        if line:
            controls.append(body_text(line))
    guide = guide_sentence(_guide_trip(signup, state))
    if guide:
        controls.append(body_text(guide))
    if signup.get("personal_code"):
        controls += code_block(event, signup, actions)
    if can_check_in(event, signup, now):
        controls += checkin_block(event, state, actions)
    controls += cancel_or_excuse(event, signup, state, actions, now)
    controls += guide_button(event, signup, catalog, actions, now)
    return controls


def code_block(event: Event, signup: dict[str, Any], actions: Actions) -> list[ft.Control]:
    code = str(signup["personal_code"])
    spoken = personal_code_sentence(spoken_code(code))
    scale = current_look().scale
    qr = ft.Semantics(
        identifier=f"event-qr-{event.id}",
        label=_("QR code of your check-in code {code}").format(code=spoken_code(code)),
        image=True,
        content=ft.Image(src=attendee_qr_png(event.id, code), width=scale.qr_code),
    )
    return [
        body_text(_("Show or read this code to the staff at the door.")),
        ft.Semantics(
            container=True,
            content=ft.Text(spoken, size=scale.heading, weight=ft.FontWeight.W_600),
        ),
        action_button(
            _("Say my code"),
            f"event-say-code-{event.id}",
            lambda _e: actions.events.say_code(code),
            icon=ft.Icons.RECORD_VOICE_OVER,
        ),
        qr,
    ]


def checkin_block(event: Event, state: AppState, actions: Actions) -> list[ft.Control]:
    """Check myself in with the 4-digit code the staff show or read out at the event."""
    events = actions.events
    return [
        heading(_("Check in"), level=2),
        *sent_field(
            _("Event code (4 digits, shown at the door)"),
            f"checkin-code-{event.id}",
            state.drafts.event_codes.get(event.id, ""),
            lambda text: events.type_code(event.id, text),
            lambda: events.check_in(event.id),
            (_("Check in"), f"checkin-{event.id}"),
        ),
    ]


def cancel_or_excuse(
    event: Event, signup: dict[str, Any], state: AppState, actions: Actions, now: datetime
) -> list[ft.Control]:
    """Cancel while it is allowed; after the cancel deadline, say why I cannot come."""
    events, event_id = actions.events, event.id
    if can_cancel(event, signup, now):
        if state.confirming == f"cancel-signup:{event_id}":
            return confirm_block(
                confirm_cancel_signup_sentence(record(event), now),
                f"signup-cancel-{event_id}",
                _("Yes, cancel my sign-up"),
                lambda _e: events.cancel(event_id),
                _("No, keep it"),
                lambda _e: events.keep(),
            )
        return [
            action_button(
                _("Cancel my sign-up"),
                f"signup-cancel-{event_id}",
                lambda _e: events.ask_to_confirm("cancel-signup", event_id),
                icon=ft.Icons.CANCEL,
            )
        ]
    if not can_excuse(event, signup, now):
        return []
    return [
        body_text(_("It is too late to cancel. If you cannot come, tell us why:")),
        wrap(
            [
                action_button(
                    label,
                    f"excuse-{event_id}-{reason}",
                    lambda _e, r=reason: events.excuse(event_id, r),
                )
                for reason, label in reason_options(PERSON_EXCUSES)
            ]
        ),
    ]


def guide_button(
    event: Event, signup: dict[str, Any], catalog: Catalog, actions: Actions, now: datetime
) -> list[ft.Control]:
    """Ask for a volunteer guide to the event, while there is still time to find one."""
    if not can_ask_for_guide(event, signup, now):
        return []
    place = place_words(record(event), venue_of(event, catalog))
    return [
        body_text(
            _(
                "Need help getting there? A volunteer can walk with you. If nobody comes, your "
                "absence is excused automatically."
            )
        ),
        action_button(
            _("I need a guide to get there"),
            f"event-guide-{event.id}",
            lambda _e: actions.events.need_guide(event, place),
            icon=ft.Icons.ACCESSIBILITY_NEW,
        ),
    ]


def _guide_trip(signup: dict[str, Any], state: AppState) -> dict[str, Any] | None:
    trip_id = signup.get("guide_trip_id")
    return None if not trip_id else find(state.personal.trips, trip_id)


def reason_buttons(prefix: str, on_choose: Any, reasons: tuple[str, ...]) -> ft.Control:
    return wrap(
        [
            action_button(label, f"{prefix}-{reason}", lambda _e, r=reason: on_choose(r))
            for reason, label in reason_options(reasons)
        ]
    )
