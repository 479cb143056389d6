"""Screens of 代办: the consents I gave, and acting for someone."""

from __future__ import annotations

from views.proxy.act_for import act_for_view
from views.proxy.consent import consent_view
from views.screens import Draw

SCREENS: dict[str, Draw] = {
    "screen-consent": lambda s: consent_view(s.path, s.route, s.state, s.actions),
    "screen-act-for": lambda s: act_for_view(s.path, s.route, s.state, s.actions),
}
