"""政策找人: policies pushed to the person, and their answer to each."""

from app.i18n import N_
from app.inbox.messages import inbox_rejection_sentence
from app.registry import Feature, Route
from services.inbox.kinds import INBOX_KINDS

FEATURE = Feature(
    name="inbox",
    routes=(Route("/inbox", "screen-inbox", N_("Policies for you")),),
    kinds=INBOX_KINDS,
    refusal=inbox_rejection_sentence,
)
