"""The one list of Sunshine's features. Adding a feature is a package in each layer (app/,
views/, and services/ where it has client rules) and one line here.

Order matters twice: routes are listed in this order (the first match wins), and a refused
action is explained by the first feature that knows it -- acting for someone comes first, since
an action of any kind is refused when the consent it was made under has ended.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from app import (
    account,
    catalog,
    events,
    home,
    inbox,
    matching,
    notifications,
    proxy,
    search,
    settings,
    trips,
)
from app.i18n import _
from app.registry import Feature
from services.sync.kinds import kinds_by_name
from services.sync.outbox import Rejection

FEATURES: tuple[Feature, ...] = (
    proxy.FEATURE,
    home.FEATURE,
    search.FEATURE,
    catalog.FEATURE,
    matching.FEATURE,
    trips.FEATURE,
    notifications.FEATURE,
    events.FEATURE,
    settings.FEATURE,
    account.FEATURE,
    inbox.FEATURE,
)

OUTBOX_KINDS = kinds_by_name(kind for feature in FEATURES for kind in feature.kinds)


def refusal_sentence(rejection: Rejection) -> str:
    """An action the server refused: what was undone, and what to do now."""
    for feature in FEATURES:
        if feature.refusal is not None and (sentence := feature.refusal(rejection)):
            return sentence
    return _("One of your actions was not accepted and has been undone.")


def notification_sentence(item: Mapping[str, Any], now: datetime) -> str:
    """A message that arrived, said in one sentence."""
    for feature in FEATURES:
        if feature.notification is not None and (sentence := feature.notification(item, now)):
            return sentence
    return _("You have a new message.")
