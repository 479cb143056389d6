"""A district's entry (screen-district): its institutions until the flagship page is built."""

from __future__ import annotations

import flet as ft

from accessibility.semantics import body_text, heading
from app.actions import Actions
from app.i18n import _
from app.routes import Route
from services.catalog import Catalog
from views.chrome import missing_record_view, screen_view


def district_view(
    path: str, route: Route, code: str, catalog: Catalog, actions: Actions
) -> ft.View:
    district = catalog.district(code)
    if district is None:
        return missing_record_view(
            path,
            route.identifier,
            _("District not found"),
            _("This district is not in the catalogue saved on this device."),
            actions,
        )
    controls: list[ft.Control] = [body_text(_(route.pending))] if route.pending else []
    for institution in catalog.institutions_in(code):
        controls.append(heading(institution.name, level=2))
        for line in (institution.address, institution.phone, institution.hours):
            if line:
                controls.append(body_text(line))
    return screen_view(path, route.identifier, district.name, controls, actions)
