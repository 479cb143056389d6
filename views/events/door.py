"""At the door (screen-door), for staff: today's attendee list, check-in by code or by name,
undo, and the count so far.

Works with no signal: each check-in is an outbox row shown at once and sent, in order, when the
connection comes back; the list is the last one fetched, with what is waiting applied on top.
"""

from __future__ import annotations

from typing import Any

import flet as ft

from accessibility.semantics import action_button, body_text, choice_group, heading, text_input
from accessibility.theme import current_look
from app.actions import Actions
from app.events.messages import attendee_line, door_count_sentence, event_title, found_sentence
from app.i18n import _
from app.messages import chosen_label
from app.registry import Route
from app.state import AppState
from services.events.commands import find_attendees
from views.chrome import card, notice, screen_view, wrap
from views.controls import sent_field
from views.events.upcoming import STAFF
from views.gates import account_gate, status_notices


def door_view(path: str, route: Route, state: AppState, actions: Actions) -> ft.View:
    gate = account_gate(path, route, state, actions, _("Staff sign in here to check people in."))
    if gate is not None:
        return gate
    title = _(route.title)
    if STAFF not in (state.personal.me or {}).get("roles", ()):
        controls = [body_text(_("Only staff can check people in."))]
        return screen_view(path, route.identifier, title, controls, actions, back_to="/events")
    controls: list[ft.Control] = status_notices(state, "door-status", actions)
    today = state.personal.door or []
    if not today:
        controls.append(body_text(_("There are no events today.")))
        return screen_view(path, route.identifier, title, controls, actions, back_to="/events")
    now = actions.now()
    chosen = next((d for d in today if d["event"]["id"] == state.events.door_event), today[0])
    event_id = chosen["event"]["id"]
    if len(today) > 1:
        controls.append(
            choice_group(
                [(d["event"]["id"], event_title(d["event"], now)) for d in today],
                event_id,
                "door-event",
                actions.events.choose_door_event,
                mark_chosen=chosen_label,
            )
        )
    scale = current_look().scale
    controls += [
        heading(event_title(chosen["event"], now), level=2),
        notice(door_count_sentence(chosen["counts"]), "door-count", warning=False),
        ft.Semantics(
            container=True,
            content=ft.Text(
                _("Event code for self check-in: {code}").format(code=chosen["event_code"]),
                size=scale.title,
                weight=ft.FontWeight.W_600,
            ),
        ),
        *code_entry(event_id, state, actions),
        *name_search(state, actions),
    ]
    attendees = chosen["attendees"]
    if state.events.door_query:
        attendees = find_attendees(attendees, state.events.door_query)
        controls.append(body_text(found_sentence(len(attendees))))
    controls += [attendee_row(event_id, a, actions) for a in attendees]
    return screen_view(path, route.identifier, title, controls, actions, back_to="/events")


def code_entry(event_id: str, state: AppState, actions: Actions) -> list[ft.Control]:
    events = actions.events
    return sent_field(
        # A barcode scanner (a keyboard to the app) types the whole QR code here; there is no
        # camera scanning, so the label promises none.
        _("Attendee's code (6 digits; a barcode scanner can scan the QR code into this box)"),
        "door-code",
        state.drafts.door_code,
        lambda text: events.type_door("door_code", text),
        lambda: events.door_check_in_code(event_id),
        (_("Check in this code"), "door-checkin"),
    )


def name_search(state: AppState, actions: Actions) -> list[ft.Control]:
    events = actions.events
    return [
        text_input(
            _("Find by name, pinyin or last 4 phone digits"),
            "door-search",
            value=state.drafts.door_search,
            on_change=lambda e: events.type_door("door_search", e.control.value or ""),
            on_submit=lambda _e: events.door_search(),
        ),
        wrap(
            [
                action_button(_("Find"), "door-find", lambda _e: events.door_search()),
                action_button(
                    _("Show everyone"),
                    "door-show-all",
                    lambda _e: events.show_everyone(),
                ),
            ]
        ),
    ]


def attendee_row(event_id: str, attendee: dict[str, Any], actions: Actions) -> ft.Control:
    events, signup_id = actions.events, attendee["signup_id"]
    if attendee.get("checked_in_at"):
        button = action_button(
            _("Undo check-in of {name}").format(name=attendee.get("name") or ""),
            f"door-undo-{signup_id}",
            lambda _e: events.door_undo(event_id, attendee),
        )
    elif attendee.get("state") == "confirmed":
        button = action_button(
            _("Check in {name}").format(name=attendee.get("name") or ""),
            f"door-checkin-{signup_id}",
            lambda _e: events.door_check_in_person(event_id, attendee),
            primary=True,
        )
    else:
        button = None
    parts: list[ft.Control] = [body_text(attendee_line(attendee))]
    if button is not None:
        parts.append(button)
    return card(f"attendee-{signup_id}", parts)
