"""Ask for a travel guide (screen-trip-new): from, to, when, what help, how to reach me.

Built so a blind resident can fill it in by screen reader or keyboard alone: every choice is a
labelled button or switch, places used before are offered as buttons, the time has sensible
defaults and is said back in words in a live region (``trip-when``), and any mistake is one
plain sentence (``trip-status``).
"""

from __future__ import annotations

import flet as ft

from accessibility.semantics import (
    action_button,
    body_text,
    choice_group,
    heading,
    status_region,
    text_input,
)
from app.actions import Actions
from app.i18n import _
from app.messages import chosen_label
from app.registry import Route
from app.state import AppState
from app.time_words import day_name
from app.trips.forms import TripForm
from app.trips.messages import NEED_LABELS
from services.trips.commands import recent_places
from services.validation import NOTES_LIMIT, PLACE_LIMIT
from views.chrome import screen_view, wrap
from views.controls import toggles
from views.gates import account_gate, status_notices
from views.long_text import long_text_input
from views.trips.parts import translated

PLACES_OFFERED = 5


def trip_new_view(path: str, route: Route, state: AppState, actions: Actions) -> ft.View:
    gate = account_gate(
        path,
        route,
        state,
        actions,
        _(
            "Sign in to ask for a volunteer who will walk with you. We tell you when one "
            "takes your request."
        ),
    )
    if gate is not None:
        return gate
    trips = actions.trips
    form = trips.request_form()
    places = offered_places(state)
    controls: list[ft.Control] = [
        body_text(
            _(
                "A volunteer meets you at the start and walks with you to where you are going. "
                "Fill in where and when; everything else is already filled in for you."
            )
        ),
        *event_note(form),
        *place_field(form, "from_place", places, actions),
        *place_field(form, "to_place", places, actions),
        *when_fields(form, actions),
        heading(_("Help you need"), level=2),
        *toggles(translated(NEED_LABELS), form.needs, "trip-need", trips.toggle_need),
        *district_field(form, state, actions),
        text_input(
            _("Contact phone"),
            "trip-phone",
            value=form.contact_phone,
            on_change=lambda e: trips.type_into("contact_phone", e.control.value or ""),
            keyboard_type=ft.KeyboardType.PHONE,
        ),
        long_text_input(
            _("Notes for the volunteer (optional)"),
            "trip-notes",
            "notes",
            NOTES_LIMIT,
            actions,
            value=form.notes,
            hint=_("For example: I use a white cane; please meet me at the north gate."),
            on_change=lambda e: trips.type_into("notes", e.control.value or ""),
        ),
    ]
    controls += [
        # Reached with Orca's h from the day chosen: what is chosen is read, then 发送请求 is
        # the next button (issue 16, item 12).
        heading(_("Check and send"), level=2),
        status_region(body_text(trips.review_sentence()), "trip-review"),
        *status_notices(state, "trip-status", actions),
    ]
    controls.append(
        action_button(
            _("Send the request"),
            "trip-submit",
            lambda _e: trips.submit_request(),
            icon=ft.Icons.SEND,
            primary=True,
        )
    )
    return screen_view(path, route.identifier, _(route.title), controls, actions, back_to="/trips")


def offered_places(state: AppState) -> list[str]:
    """Home first (if known), then places from earlier requests, most recent first."""
    home = str((state.personal.me or {}).get("address") or "").strip()
    places = [home] if home else []
    for place in recent_places(state.personal.trips, limit=PLACES_OFFERED):
        if place not in places:
            places.append(place)
    return places[:PLACES_OFFERED]


def place_field(
    form: TripForm, field: str, places: list[str], actions: Actions
) -> list[ft.Control]:
    trips = actions.trips
    is_from = field == "from_place"
    identifier = "trip-from" if is_from else "trip-to"
    label = _("Where do you start from?") if is_from else _("Where are you going?")
    controls: list[ft.Control] = [
        long_text_input(
            label,
            identifier,
            field,
            PLACE_LIMIT,
            actions,
            value=getattr(form, field),
            on_change=lambda e: trips.type_into(field, e.control.value or ""),
        )
    ]
    if places:
        pattern = _("Start: {place}") if is_from else _("Go to: {place}")
        controls.append(
            wrap(
                [
                    action_button(
                        pattern.format(place=place),
                        f"{identifier}-recent-{index}",
                        lambda _e, p=place: trips.choose_place(field, p),
                    )
                    for index, place in enumerate(places)
                ]
            )
        )
    return controls


def event_note(form: TripForm) -> list[ft.Control]:
    """A guide to an event: the absence is excused if nobody comes (the server links them)."""
    if form.event_id is None:
        return []
    return [
        body_text(
            _(
                "This guide takes you to your event. If no volunteer takes it, or the volunteer "
                "gives it back, your absence is excused automatically."
            ),
            weight=ft.FontWeight.W_600,
        )
    ]


def when_fields(form: TripForm, actions: Actions) -> list[ft.Control]:
    trips = actions.trips
    days = trips.offered_days()
    today = days[0]
    return [
        heading(_("When"), level=2),
        choice_group(
            [(str(n), day_name(day, today)) for n, day in enumerate(days)],
            str((form.day - today).days),
            "trip-day",
            lambda n: trips.choose_day(days[int(n)]),
            mark_chosen=chosen_label,
        ),
        text_input(
            _("Time (hours:minutes)"),
            "trip-time",
            value=form.time_text,
            hint=_("For example 14:30"),
            on_change=lambda e: trips.type_into("time_text", e.control.value or ""),
            on_blur=lambda _e: trips.time_typed(),
            on_submit=lambda _e: trips.time_typed(),
            keyboard_type=ft.KeyboardType.DATETIME,
        ),
        wrap(
            [
                action_button(
                    _("30 minutes earlier"), "trip-time-earlier", lambda _e: trips.shift_time(-1)
                ),
                action_button(
                    _("30 minutes later"), "trip-time-later", lambda _e: trips.shift_time(1)
                ),
            ]
        ),
        # Not live: each change is announced by the action that made it.
        status_region(body_text(trips.when_sentence(), weight=ft.FontWeight.W_600), "trip-when"),
    ]


def district_field(form: TripForm, state: AppState, actions: Actions) -> list[ft.Control]:
    trips = actions.trips
    names = {d.code: d.name for d in state.districts}
    chosen = names.get(form.district) or _("not chosen")
    controls: list[ft.Control] = [
        body_text(_("District where the trip starts: {district}").format(district=chosen)),
        action_button(
            _("Done") if state.trips.changing_district else _("Change the district"),
            "trip-district-change",
            lambda _e: trips.toggle_changing_district(),
        ),
    ]
    if state.trips.changing_district or not form.district:
        controls.append(
            choice_group(
                [(d.code, d.name) for d in state.districts],
                form.district,
                "trip-district",
                trips.choose_district,
                required=False,  # no district known yet: nothing is chosen
                mark_chosen=chosen_label,
            )
        )
    return controls
