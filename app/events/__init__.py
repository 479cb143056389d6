"""Community events: sign up, the waiting list, a guide on the way, check-in at the door."""

from app.events.messages import event_notification_sentence, event_rejection_sentence
from app.i18n import N_
from app.registry import Feature, Route
from services.events.kinds import EVENT_KINDS

FEATURE = Feature(
    name="events",
    routes=(
        Route("/events/record", "screen-attendance", N_("My attendance record")),
        Route("/events", "screen-events", N_("Events")),
        Route("/event/{id}", "screen-event", N_("Event")),
        Route("/door", "screen-door", N_("Check-in at the door")),
    ),
    kinds=EVENT_KINDS,
    refusal=event_rejection_sentence,
    notification=event_notification_sentence,
)
