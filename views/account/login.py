"""Sign-in (screen-login): phone number, a one-time code, and what happened, in words."""

from __future__ import annotations

import flet as ft

from accessibility.semantics import action_button, body_text, text_input
from accessibility.theme import current_look
from app.account.messages import mask_phone
from app.actions import Actions
from app.context import AppContext
from app.i18n import _
from app.registry import Route
from app.state import AppState
from views.chrome import notice, screen_view
from views.controls import sent_field
from views.gates import form_notice


def login_view(
    path: str, route: Route, state: AppState, ctx: AppContext, actions: Actions
) -> ft.View:
    account = actions.account
    drafts = state.drafts
    look = current_look()
    me = state.personal.me
    if state.signed_in and me is not None:
        controls: list[ft.Control] = [
            body_text(
                _("You are signed in as {name} ({phone}).").format(
                    name=me.get("name") or "", phone=mask_phone(str(me.get("phone") or ""))
                )
            ),
            action_button(_("My profile"), "nav-profile", lambda _e: actions.go("/profile")),
        ]
        return screen_view(path, route.identifier, _(route.title), controls, actions)

    def set_phone(e: ft.Event[ft.TextField]) -> None:
        drafts.phone = e.control.value or ""

    def set_code(text: str) -> None:
        drafts.code = text

    controls = [
        body_text(
            _(
                "Sign in with your mobile phone number. We send a 6-digit code to it by text "
                "message."
            )
        ),
    ]
    if state.session_expired:
        controls.append(
            notice(
                _(
                    "Your sign-in has expired. Sign in again with the same number and your "
                    "waiting actions will be sent."
                ),
                "session-expired",
                warning=True,
            )
        )
    controls += [
        text_input(
            _("Mobile phone number"),
            "login-phone",
            value=drafts.phone,
            hint=_("11 digits, for example 138 0000 0001"),
            on_change=set_phone,
            on_submit=lambda _e: account.request_code(),
            keyboard_type=ft.KeyboardType.PHONE,
        ),
        action_button(
            _("Send me a new code") if state.account.code_sent else _("Send me a code"),
            "login-send-code",
            lambda _e: account.request_code(),
            icon=ft.Icons.SMS,
        ),
        *sent_field(
            _("6-digit code"),
            "login-code",
            drafts.code,
            set_code,
            account.sign_in,
            (_("Sign in"), "login-submit"),
            icon=ft.Icons.LOGIN,
        ),
    ]
    if state.busy:
        controls.append(
            ft.Row(
                [
                    ft.ProgressRing(width=look.scale.icon, height=look.scale.icon),
                    body_text(_("Please wait…")),
                ],
                spacing=look.scale.gap,
            )
        )
    controls += form_notice(state, "login-status")
    if not ctx.personal.account.tokens.persistent and not ctx.kiosk:
        controls.append(
            body_text(
                _(
                    "This device cannot store your sign-in safely, so you will need to sign in "
                    "again after closing the app."
                )
            )
        )
    return screen_view(path, route.identifier, _(route.title), controls, actions)
