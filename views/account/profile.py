"""My profile (screen-profile): who I am (ID masked), my records, visits and benefits.

Contact fields are edited here and sent through the outbox; the change shows at once and the
waiting count says it has not reached the server yet.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from accessibility.semantics import action_button, body_text, heading
from accessibility.theme import current_look
from app.account.messages import mask_phone, waiting_sentence
from app.actions import Actions
from app.i18n import N_, _, format_day
from app.record_words import RECORD_STATUS
from app.registry import Route
from app.state import AppState
from services.personal import PersonalView
from services.validation import CONTACT_LIMITS
from views.chrome import notice, screen_view
from views.gates import form_notice, sign_in_first
from views.long_text import long_text_input

VISIT_KIND = {
    "home_visit": N_("Home visit"),
    "phone_call": N_("Phone call"),
    "follow_up": N_("Follow-up"),
}
BENEFIT_STATUS = {"active": N_("in effect"), "ended": N_("ended")}
CONTACT_FIELDS = (
    ("address", N_("Address"), "profile-address"),
    ("emergency_contact", N_("Emergency contact"), "profile-emergency-contact"),
)


def profile_view(path: str, route: Route, state: AppState, actions: Actions) -> ft.View:
    me = state.personal.me
    if me is None:
        why = _("Sign in to see your profile, records and visits.")
        return sign_in_first(path, route, actions, why)

    controls: list[ft.Control] = []
    if state.session_expired or not state.signed_in:
        controls.append(
            notice(
                _("Your sign-in has expired. Please sign in again."),
                "session-expired",
                warning=True,
            )
        )
        controls.append(action_button(_("Sign in"), "nav-login", lambda _e: actions.go("/login")))
    if state.personal.waiting:
        controls.append(
            notice(waiting_sentence(state.personal.waiting), "outbox-waiting", warning=True)
        )
    controls += form_notice(state, "profile-status")
    controls += personal_information(me)
    controls += contact_section(state, me, actions)
    controls += records_sections(state)
    if state.personal.acting_for is None:  # consents are one's own business, never a helper's
        controls += [
            heading(_("Help from others"), level=2),
            action_button(_("Acting for me"), "nav-consent", lambda _e: actions.go("/consent")),
            action_button(_("Act for someone"), "nav-act-for", lambda _e: actions.go("/act-for")),
        ]
    controls += sign_out_section(state, actions)
    return screen_view(path, route.identifier, _(route.title), controls, actions)


def _field(label: str, value: Any) -> ft.Control:
    shown = str(value) if value not in (None, "") else _("not given")
    return body_text(_("{label}: {value}").format(label=label, value=shown))


def personal_information(me: dict[str, Any]) -> list[ft.Control]:
    controls: list[ft.Control] = [
        heading(_("Personal information"), level=2),
        _field(_("Name"), me.get("name")),
        _field(_("Mobile phone"), mask_phone(str(me.get("phone") or ""))),
        _field(_("ID number"), me.get("id_number")),
    ]
    if me.get("example_data"):
        controls.append(body_text(_("This is a demonstration account with example data.")))
    return controls


def contact_section(state: AppState, me: dict[str, Any], actions: Actions) -> list[ft.Control]:
    account = actions.account
    controls: list[ft.Control] = [heading(_("Contact details"), level=2)]
    if not state.account.editing_contact:
        controls += [_field(_(label), me.get(name)) for name, label, _id in CONTACT_FIELDS]
        controls.append(
            action_button(
                _("Change contact details"),
                "profile-edit",
                lambda _e: account.start_editing(),
                icon=ft.Icons.EDIT,
            )
        )
        return controls

    drafts = state.drafts.contact

    def setter(name: str) -> Callable[[Any], None]:
        def set_value(e: Any) -> None:
            drafts[name] = e.control.value or ""

        return set_value

    controls += [
        long_text_input(
            _(label),
            identifier,
            name,
            CONTACT_LIMITS[name],
            actions,
            value=drafts.get(name, ""),
            on_change=setter(name),
        )
        for name, label, identifier in CONTACT_FIELDS
    ]
    controls.append(
        ft.Row(
            [
                action_button(
                    _("Save"), "profile-save", lambda _e: account.save_contact(), primary=True
                ),
                action_button(_("Cancel"), "profile-cancel", lambda _e: account.cancel_editing()),
            ],
            wrap=True,
            spacing=current_look().scale.gap,
            run_spacing=current_look().scale.gap,
        )
    )
    return controls


def records_sections(state: AppState) -> list[ft.Control]:
    personal = state.personal
    return [
        *_section(
            _("My service records"), record_sentences(personal), _("No service records yet.")
        ),
        *_section(
            _("Visits and follow-ups"), visit_sentences(personal), _("No visit records yet.")
        ),
        *_section(
            _("Benefits granted to me"),
            [
                _("{title}: {status}, since {date}.").format(
                    title=b["title"],
                    status=_(BENEFIT_STATUS.get(b["status"], b["status"])),
                    date=format_day(b["granted_at"]),
                )
                for b in personal.benefits
            ],
            _("No benefits recorded yet."),
        ),
    ]


def record_sentences(personal: PersonalView) -> list[str]:
    """One sentence per service record (also the home's summary)."""
    return [
        _("{service}: {status}, submitted {date}.").format(
            service=r["service_name"],
            status=_(RECORD_STATUS.get(r["status"], r["status"])),
            date=format_day(r["submitted_at"]),
        )
        for r in personal.service_records
    ]


def visit_sentences(personal: PersonalView) -> list[str]:
    """One sentence per visit or follow-up (also the home's summary)."""
    return [
        _("{kind} on {date} by {visitor}: {summary}").format(
            kind=_(VISIT_KIND.get(v["kind"], v["kind"])),
            date=format_day(v["visited_at"]),
            visitor=v["visitor_name"],
            summary=v["summary"],
        )
        for v in personal.visits
    ]


def _section(title: str, sentences: list[str], empty: str) -> list[ft.Control]:
    """A heading, then one sentence per record, or one sentence saying there are none."""
    return [heading(title, level=2), *[body_text(s) for s in sentences or [empty]]]


def sign_out_section(state: AppState, actions: Actions) -> list[ft.Control]:
    account = actions.account
    if not state.account.confirm_sign_out:
        return [
            action_button(
                _("Sign out"), "sign-out", lambda _e: account.sign_out(), icon=ft.Icons.LOGOUT
            )
        ]
    return [
        action_button(
            _("Sign out and discard them"),
            "sign-out-confirm",
            lambda _e: account.sign_out(confirmed=True),
            icon=ft.Icons.LOGOUT,
        ),
        action_button(_("Stay signed in"), "sign-out-cancel", lambda _e: account.keep_signed_in()),
    ]
