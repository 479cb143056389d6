"""Settings: text size, contrast, language, read-aloud and speech rate."""

from app.i18n import N_
from app.registry import Feature, Route

FEATURE = Feature(
    name="settings",
    routes=(Route("/settings", "screen-settings", N_("Settings")),),
)
