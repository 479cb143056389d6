"""Screens of the catalogue: a service, a policy, an institution, a district."""

from __future__ import annotations

from views.catalog.district import district_view
from views.catalog.institution import institution_view
from views.catalog.policy import policy_view
from views.catalog.service import service_view
from views.screens import Draw

SCREENS: dict[str, Draw] = {
    "screen-service": lambda s: service_view(
        s.path,
        s.route,
        s.params["id"],
        s.ctx.catalog,
        s.actions,
        pinned=s.state.preferences.home.is_pinned(s.params["id"]),
    ),
    "screen-policy": lambda s: policy_view(
        s.path, s.route, s.params["id"], s.ctx.catalog, s.actions
    ),
    "screen-institution": lambda s: institution_view(
        s.path, s.route, s.params["id"], s.ctx.catalog, s.actions
    ),
    "screen-district": lambda s: district_view(
        s.path, s.route, s.params["code"], s.ctx.catalog, s.actions
    ),
}
