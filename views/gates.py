"""What a screen for a signed-in person shows before its own content: a sign-in gate while
signed out (or while the profile loads), and the notices every such screen carries."""

from __future__ import annotations

import flet as ft

from accessibility.semantics import action_button, body_text
from app.account.messages import waiting_sentence
from app.actions import Actions
from app.i18n import _
from app.registry import Route
from app.state import AppState
from views.chrome import notice, screen_view


def sign_in_first(
    path: str, route: Route, actions: Actions, why: str, *, primary: bool = False
) -> ft.View:
    """The screen for someone signed out: ``why`` they should sign in, and the way to."""
    controls = [
        body_text(why),
        action_button(_("Sign in"), "nav-login", lambda _e: actions.go("/login"), primary=primary),
    ]
    return screen_view(path, route.identifier, _(route.title), controls, actions)


def account_gate(
    path: str, route: Route, state: AppState, actions: Actions, signed_out: str
) -> ft.View | None:
    """The screen for someone signed out (``signed_out`` says why to sign in), or while their
    profile loads; None once their data is here (an expired sign-in still shows it)."""
    if not state.signed_in and state.personal.me is None:
        return sign_in_first(path, route, actions, signed_out, primary=True)
    if state.personal.me is None:
        controls = [body_text(_("Loading your profile…"))]
        return screen_view(path, route.identifier, _(route.title), controls, actions)
    return None


def status_notices(state: AppState, identifier: str, actions: Actions) -> list[ft.Control]:
    """Sign-in expired, the last action's result, and the actions waiting to send. The result
    comes before the waiting ones: a node above the one holding the focus that goes away moves
    it in the page, and a moved node loses the focus (Flutter's web engine)."""
    controls: list[ft.Control] = []
    if state.session_expired:
        controls += [
            notice(
                _("Your sign-in has expired. Please sign in again."),
                "session-expired",
                warning=True,
            ),
            action_button(_("Sign in"), "nav-login", lambda _e: actions.go("/login")),
        ]
    controls += form_notice(state, identifier)
    if state.personal.waiting:
        controls.append(
            notice(waiting_sentence(state.personal.waiting), "outbox-waiting", warning=True)
        )
    return controls


def form_notice(state: AppState, identifier: str) -> list[ft.Control]:
    """The last action's result, if any; one that took the focus holds it (``AppState.tell``)."""
    if not state.form_message:
        return []
    focus_key = f"{identifier}-{state.form_focus}" if state.form_focused else None
    return [notice(state.form_message, identifier, warning=state.form_error, focus_key=focus_key)]
