"""What I can get: the services a person's facts make them eligible for."""

from app.i18n import N_
from app.registry import Feature, Route

FEATURE = Feature(
    name="matching",
    routes=(Route("/matching", "screen-matching", N_("What I can get")),),
)
