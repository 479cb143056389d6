"""The home screen: what the person uses most, and laying it out to their liking."""

from app.i18n import N_
from app.registry import Feature, Route

FEATURE = Feature(
    name="home",
    routes=(Route("/home/customise", "screen-customise", N_("Customise the home screen")),),
)
