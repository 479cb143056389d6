"""Screens of the account: signing in, and my profile."""

from __future__ import annotations

from views.account.login import login_view
from views.account.profile import profile_view
from views.screens import Draw

SCREENS: dict[str, Draw] = {
    "screen-login": lambda s: login_view(s.path, s.route, s.state, s.ctx, s.actions),
    "screen-profile": lambda s: profile_view(s.path, s.route, s.state, s.actions),
}
