"""Searching the service catalogue by name, pinyin, initials or a near miss."""

from app.i18n import N_
from app.registry import Feature, Route

FEATURE = Feature(
    name="search",
    routes=(Route("/search", "screen-search", N_("Search services")),),
)
