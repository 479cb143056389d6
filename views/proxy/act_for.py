"""Act for someone (screen-act-for): a relative or clerk types the resident's phone number and
one-time consent code, waits for the resident to confirm on their own phone, and then acts for
them; the consents they hold are listed, waiting or confirmed, each can be given back."""

from __future__ import annotations

import flet as ft

from accessibility.semantics import action_button, body_text, heading, text_input
from app.actions import Actions
from app.i18n import _
from app.proxy.messages import asked_sentence, consent_sentence
from app.registry import Route
from app.state import AppState
from services.proxy.states import is_active, is_live
from views.chrome import card, screen_view
from views.controls import sent_field
from views.gates import form_notice, sign_in_first


def act_for_view(path: str, route: Route, state: AppState, actions: Actions) -> ft.View:
    title = _(route.title)
    if not state.signed_in:
        why = _("Sign in with your own phone first, then type the resident's code.")
        return sign_in_first(path, route, actions, why)
    proxy = actions.proxy
    acting = state.personal.acting_for
    controls: list[ft.Control] = []
    controls += form_notice(state, "act-for-status")
    if acting is not None:  # the banner above says for whom, with the way to stop
        return screen_view(path, route.identifier, title, controls, actions)
    controls += [
        body_text(
            _(
                "Ask the resident to open “Acting for me” and make a consent code, then type "
                "their phone number and the code here. Everything you do for them is recorded "
                "and shown to them."
            )
        ),
        text_input(
            _("The resident's mobile phone number"),
            "act-for-phone",
            value=state.drafts.act_for_phone,
            on_change=lambda e: proxy.type_phone(e.control.value or ""),
            keyboard_type=ft.KeyboardType.PHONE,
        ),
        *sent_field(
            _("Consent code (8 digits)"),
            "act-for-code",
            state.drafts.consent_code,
            proxy.type_code,
            proxy.redeem,
            (_("Act for this person"), "act-for-submit"),
            icon=ft.Icons.HANDSHAKE,
        ),
        heading(_("People I can act for"), level=2),
    ]
    now = actions.now()
    held = [c for c in state.personal.proxy_consents if is_live(c)]
    if not held:
        controls.append(body_text(_("No one has given you consent.")))
    for consent in held:
        resident = consent.get("resident") or {}
        name = str(resident.get("name") or "")
        parts: list[ft.Control] = [
            heading(name, level=3),
            body_text(consent_sentence(consent, resident, now)),
        ]
        if is_active(consent):
            parts.append(
                action_button(
                    _("Act for {name}").format(name=name),
                    f"act-for-start-{consent['id']}",
                    lambda _e, c=consent["id"], n=name: proxy.act_for(c, n),
                    icon=ft.Icons.HANDSHAKE,
                    primary=True,
                )
            )
        else:
            parts.append(body_text(asked_sentence(name)))
        parts.append(
            action_button(
                _("Give this consent back"),
                f"act-for-end-{consent['id']}",
                lambda _e, c=consent["id"], n=name: proxy.end(c, n),
                icon=ft.Icons.BLOCK,
            )
        )
        controls.append(card(f"held-consent-{consent['id']}", parts))
    return screen_view(path, route.identifier, title, controls, actions)
