"""助盲出行: a blind resident asks for a guide on a trip; a verified volunteer takes it."""

from app.i18n import N_
from app.registry import Feature, Route
from app.trips.messages import trip_notification_sentence, trip_rejection_sentence
from services.trips.kinds import TRIP_KINDS

FEATURE = Feature(
    name="trips",
    routes=(
        Route("/trips/new", "screen-trip-new", N_("Ask for a travel guide")),
        Route("/trips", "screen-trips", N_("My trips")),
        Route("/volunteer", "screen-volunteer", N_("Volunteers")),
    ),
    kinds=TRIP_KINDS,
    refusal=trip_rejection_sentence,
    notification=trip_notification_sentence,
)
