"""Signing in and the profile: what the sign-in and profile screens have open."""

from __future__ import annotations

from dataclasses import dataclass

import flet as ft


@ft.observable
@dataclass
class AccountState:
    code_sent: bool = False
    editing_contact: bool = False
    confirm_sign_out: bool = False
