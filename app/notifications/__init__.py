"""The person's messages: trips, events and consents, newest first."""

from app.i18n import N_
from app.registry import Feature, Route

FEATURE = Feature(
    name="notifications",
    routes=(Route("/notifications", "screen-notifications", N_("Messages")),),
)
