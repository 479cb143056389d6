"""Acting for me (screen-consent): the resident gives a relative or clerk a one-time consent
code, sees every consent and everything done under it, and withdraws any at once."""

from __future__ import annotations

from datetime import datetime

import flet as ft

from accessibility.semantics import action_button, body_text, heading
from accessibility.theme import current_look
from app.actions import Actions
from app.i18n import _
from app.proxy.messages import (
    action_sentence,
    code_sentence,
    consent_sentence,
    lasts_label,
    request_sentence,
    spoken_code,
)
from app.registry import Route
from app.state import AppState
from app.time_words import parse_time
from services.proxy.states import is_active, is_pending
from views.chrome import card, screen_view, wrap
from views.gates import form_notice, sign_in_first


def code_still_useful(grant: dict, consents: int, now: datetime) -> bool:
    """A code is shown until it expires or is used (a consent newer than it appears)."""
    return parse_time(grant["expires_at"]) > now and consents <= grant.get("consents_before", 0)


def consent_view(path: str, route: Route, state: AppState, actions: Actions) -> ft.View:
    title = _(route.title)
    if not state.signed_in:
        return sign_in_first(path, route, actions, _("Sign in to let someone act for you."))
    proxy = actions.proxy
    now = actions.now()
    controls = [
        body_text(
            _(
                "A relative or a community worker can do things here for you, with your "
                "consent. Make a one-time code and tell it to them: it works once, within "
                "10 minutes. Everything they do is listed below, and you can withdraw your "
                "consent at any time."
            )
        ),
    ]
    controls += form_notice(state, "consent-status")
    grant = state.proxy.consent_code
    if grant is not None and code_still_useful(grant, len(state.personal.consents), now):
        look = current_look()
        controls += [
            ft.Semantics(
                identifier="consent-code",
                container=True,
                content=ft.Text(
                    spoken_code(str(grant["code"])),
                    size=look.scale.title,
                    weight=ft.FontWeight.BOLD,
                ),
            ),
            body_text(code_sentence(grant, now)),
            action_button(
                _("Read the code aloud"),
                "consent-say-code",
                lambda _e: proxy.say_code(),
                icon=ft.Icons.RECORD_VOICE_OVER,
            ),
        ]
    controls.append(
        wrap(
            [
                action_button(
                    lasts_label(lasts),
                    f"consent-code-{lasts}",
                    lambda _e, lasts=lasts: proxy.create_code(lasts),
                    icon=ft.Icons.KEY,
                    primary=lasts == "day",
                )
                for lasts in ("day", "month")
            ]
        )
    )
    controls.append(heading(_("People who can act or acted for me"), level=2))
    consents = state.personal.consents
    if not consents:
        controls.append(body_text(_("Nobody has acted for you.")))
    for consent in consents:
        helper = consent.get("helper") or {}
        helper_name = str(helper.get("name") or "")
        parts: list[ft.Control] = [
            heading(helper_name, level=3),
            body_text(consent_sentence(consent, helper, now)),
            *[body_text(action_sentence(a, helper, now)) for a in consent.get("actions") or []],
        ]
        if not consent.get("actions") and not is_pending(consent):
            parts.append(body_text(_("Nothing has been done for you under this consent.")))
        if is_pending(consent):
            parts += [
                body_text(request_sentence(helper_name)),
                wrap(
                    [
                        action_button(
                            _("Confirm: let {name} act for me").format(name=helper_name),
                            f"consent-confirm-{consent['id']}",
                            lambda _e, c=consent["id"], n=helper_name: proxy.confirm(c, n),
                            icon=ft.Icons.CHECK,
                            primary=True,
                        ),
                        action_button(
                            _("Refuse"),
                            f"consent-refuse-{consent['id']}",
                            lambda _e, c=consent["id"], n=helper_name: proxy.refuse(c, n),
                            icon=ft.Icons.BLOCK,
                        ),
                    ]
                ),
            ]
        if is_active(consent):
            parts.append(
                action_button(
                    _("Withdraw consent"),
                    f"consent-withdraw-{consent['id']}",
                    lambda _e, c=consent["id"], n=helper_name: proxy.withdraw(c, n),
                    icon=ft.Icons.BLOCK,
                )
            )
        controls.append(card(f"consent-{consent['id']}", parts))
    return screen_view(path, route.identifier, title, controls, actions)
