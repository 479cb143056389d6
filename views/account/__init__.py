"""Screens of the account: signing in, and my profile."""

from __future__ import annotations

import flet as ft

from app.i18n import N_
from views.account.login import login_view
from views.account.profile import profile_view
from views.screens import Draw, HomeEntry

SCREENS: dict[str, Draw] = {
    "screen-login": lambda s: login_view(s.path, s.route, s.state, s.ctx, s.actions),
    "screen-profile": lambda s: profile_view(s.path, s.route, s.state, s.actions),
}

HOME_ENTRIES = (
    HomeEntry("nav-profile", N_("My profile"), "/profile", ft.Icons.PERSON, place=90),
    HomeEntry("nav-login", N_("Sign in"), "/login", ft.Icons.LOGIN, place=100),
)
