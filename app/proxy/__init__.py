"""代办: a resident lets a social worker act for them, and the worker does."""

from app.i18n import N_
from app.proxy.messages import proxy_notification_sentence, proxy_rejection_sentence
from app.registry import Feature, Route
from services.proxy.kinds import PROXY_KINDS

FEATURE = Feature(
    name="proxy",
    routes=(
        Route("/consent", "screen-consent", N_("Acting for me")),
        Route("/act-for", "screen-act-for", N_("Act for someone")),
    ),
    kinds=PROXY_KINDS,
    refusal=proxy_rejection_sentence,
    notification=lambda item, _now: proxy_notification_sentence(item),
)
