"""Volunteers (screen-volunteer): register, then take open trips and see them through.

Not registered: the registration form (``volunteer-register``). Registered and waiting: what
happens next. Verified: my trips as a volunteer (start, complete, give back, rate) and the open
trips I could take (``open-trip-<id>``, ``claim-<id>``), filtered by my districts, time and skills.
"""

from __future__ import annotations

from typing import Any

import flet as ft

from accessibility.semantics import (
    action_button,
    body_text,
    choice_group,
    heading,
    text_input,
    toggle,
)
from app.actions import Actions
from app.i18n import N_, _
from app.messages import chosen_label, switch_state
from app.registry import Route
from app.state import AppState
from app.trips.forms import OpenTripFilter
from app.trips.messages import (
    AVAILABILITY_LABELS,
    SKILL_LABELS,
    open_trip_sentence,
    volunteer_status_sentence,
)
from services.trips.commands import my_volunteering
from services.trips.states import can, is_active
from views.chrome import card, screen_view
from views.controls import toggles
from views.gates import account_gate, status_notices
from views.trips.parts import (
    by_start,
    translated,
    trip_card,
)

# (value, label msgid) of the time filter; "all" has no limit
WITHIN_DAYS = (
    ("1", N_("Today and tomorrow")),
    ("7", N_("Next 7 days")),
    ("all", N_("Any time")),
)


def volunteer_view(path: str, route: Route, state: AppState, actions: Actions) -> ft.View:
    gate = account_gate(
        path,
        route,
        state,
        actions,
        _(
            "Volunteers walk with blind residents to where they need to go. Sign in to "
            "register or to take trips."
        ),
    )
    if gate is not None:
        return gate
    controls = status_notices(state, "volunteer-status", actions)
    volunteer = state.personal.volunteer
    if volunteer is None:
        controls += registration_form(state, actions)
    elif volunteer.get("status") != "verified":
        controls.append(body_text(volunteer_status_sentence(volunteer)))
    else:
        controls.append(body_text(volunteer_status_sentence(volunteer)))
        controls += my_trips_section(state, actions)
        controls += open_trips_section(state, volunteer, actions)
    return screen_view(path, route.identifier, _(route.title), controls, actions)


def registration_form(state: AppState, actions: Actions) -> list[ft.Control]:
    trips = actions.trips
    form = trips.volunteer_form()
    districts = {d.code: d.name for d in state.districts}

    def typed(field: str):
        return lambda e: trips.type_volunteer(field, e.control.value or "")

    return [
        heading(_("Become a volunteer"), level=2),
        body_text(
            _(
                "Staff check every volunteer before they can take trips, so we need your real "
                "name and ID card number. They are only shown to staff."
            )
        ),
        text_input(
            _("Real name"), "volunteer-name", value=form.real_name, on_change=typed("real_name")
        ),
        text_input(
            _("ID card number"),
            "volunteer-id-number",
            value=form.id_number,
            hint=_("18 characters; the last may be X"),
            on_change=typed("id_number"),
        ),
        text_input(
            _("Mobile phone number"),
            "volunteer-phone",
            value=form.phone,
            on_change=typed("phone"),
            keyboard_type=ft.KeyboardType.PHONE,
        ),
        heading(_("How I can help"), level=2),
        *toggles(
            translated(SKILL_LABELS),
            form.skills,
            "volunteer-skill",
            lambda v: trips.toggle_volunteer("skills", v),
        ),
        heading(_("When I am usually free"), level=2),
        *toggles(
            translated(AVAILABILITY_LABELS),
            form.availability,
            "volunteer-availability",
            lambda v: trips.toggle_volunteer("availability", v),
        ),
        heading(_("Districts where I can help"), level=2),
        *toggles(
            districts,
            form.districts,
            "volunteer-district",
            lambda v: trips.toggle_volunteer("districts", v),
        ),
        action_button(
            _("Register as a volunteer"),
            "volunteer-register",
            lambda _e: trips.register(),
            icon=ft.Icons.VOLUNTEER_ACTIVISM,
            primary=True,
        ),
    ]


def my_trips_section(state: AppState, actions: Actions) -> list[ft.Control]:
    mine = my_volunteering(state.personal.trips)
    active = by_start(t for t in mine if is_active(t))
    unrated = [t for t in mine if can(t, "rate")]
    controls: list[ft.Control] = [heading(_("Trips I have taken on"), level=2)]
    if not active and not unrated:
        controls.append(body_text(_("You have no trips at the moment.")))
    controls += [trip_card(trip, state, actions) for trip in [*active, *unrated]]
    return controls


def open_trips_section(
    state: AppState, volunteer: dict[str, Any], actions: Actions
) -> list[ft.Control]:
    chosen = state.trips.open_filter
    names = {d.code: d.name for d in state.districts}
    shown = actions.trips.open_trips_shown(volunteer)
    controls: list[ft.Control] = [
        heading(_("Open trips"), level=2),
        *filter_controls(chosen, actions),
        body_text(
            _("{count} open trips match.").format(count=len(shown))
            if shown
            else _("No open trips match. Try showing more districts or a longer time.")
        ),
    ]
    controls += [open_trip_card(trip, names, actions) for trip in by_start(shown)]
    return controls


def filter_controls(chosen: OpenTripFilter, actions: Actions) -> list[ft.Control]:
    def update(**changes: Any) -> None:
        actions.trips.set_filter(OpenTripFilter(**{**chosen.__dict__, **changes}))

    days = "all" if chosen.within_days is None else str(chosen.within_days)
    return [
        toggle(
            _("Only my districts"),
            "filter-my-districts",
            chosen.my_districts_only,
            lambda on: update(my_districts_only=on),
            state=switch_state(chosen.my_districts_only),
        ),
        toggle(
            _("Only trips I have the skills for"),
            "filter-fits-skills",
            chosen.fits_my_skills,
            lambda on: update(fits_my_skills=on),
            state=switch_state(chosen.fits_my_skills),
        ),
        choice_group(
            [(value, _(label)) for value, label in WITHIN_DAYS],
            days,
            "filter-days",
            lambda v: update(within_days=None if v == "all" else int(v)),
            mark_chosen=chosen_label,
        ),
    ]


def open_trip_card(trip: dict[str, Any], names: dict[str, str], actions: Actions) -> ft.Control:
    trip_id = trip["id"]
    return card(
        f"open-trip-{trip_id}",
        [
            body_text(open_trip_sentence(trip, actions.now(), names)),
            action_button(
                _("Take this trip"),
                f"claim-{trip_id}",
                lambda _e: actions.trips.claim(trip_id),
                icon=ft.Icons.HAIL,
                primary=True,
            ),
        ],
    )
