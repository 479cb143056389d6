"""Institution detail (screen-institution): where it is, how to reach it, what it offers."""

from __future__ import annotations

import flet as ft

from accessibility.semantics import body_text, heading
from app.actions import Actions
from app.i18n import _
from app.registry import Route
from services.catalog import Catalog
from views.catalog.parts import example_note, field_line, field_lines, link_buttons
from views.chrome import missing_record_view, screen_view


def institution_view(
    path: str, route: Route, institution_id: str, catalog: Catalog, actions: Actions
) -> ft.View:
    institution = catalog.institution(institution_id)
    if institution is None:
        return missing_record_view(
            path,
            route.identifier,
            _("Institution not found"),
            _("This institution is not in the catalogue saved on this device."),
            actions,
        )
    district = catalog.district(institution.district) if institution.district else None
    controls: list[ft.Control] = [
        *field_lines(institution, ("kind",)),
        *filter(None, [field_line("district", district.name if district else None)]),
        *field_lines(institution, ("address", "phone", "hours")),
    ]
    controls += filter(None, [example_note(institution)])
    controls.append(heading(_("Accessibility"), level=2))
    controls += [body_text(fact) for fact in institution.accessibility] or [
        body_text(_("No accessibility facts are recorded for this place yet."))
    ]
    services = catalog.services_for(institution.service_ids)
    if services:
        controls += [
            heading(_("Services offered here"), level=2),
            link_buttons(
                ((s.name, f"service-{s.id}", f"/service/{s.id}") for s in services), actions
            ),
        ]
    return screen_view(path, route.identifier, institution.name, controls, actions)
