"""The person's account: signing in by SMS code, their profile and contact details."""

from app.account.messages import account_rejection_sentence
from app.i18n import N_
from app.registry import Feature, Route
from services.account.kinds import ACCOUNT_KINDS

FEATURE = Feature(
    name="account",
    routes=(
        Route("/login", "screen-login", N_("Sign in")),
        Route("/profile", "screen-profile", N_("My profile")),
    ),
    kinds=ACCOUNT_KINDS,
    refusal=account_rejection_sentence,
)
