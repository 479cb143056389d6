"""The service catalogue: a service, a policy, an institution, a district's services."""

from app.i18n import N_
from app.registry import Feature, Route

FEATURE = Feature(
    name="catalog",
    routes=(
        Route("/service/{id}", "screen-service", N_("Service")),
        Route("/policy/{id}", "screen-policy", N_("Policy")),
        Route("/institution/{id}", "screen-institution", N_("Institution")),
        Route("/district/{code}", "screen-district", N_("District services")),
    ),
)
