"""A district's flagship page (区旗舰店, screen-district): its institutions, the services they
offer and the events coming up there, all from the catalogue saved on this device."""

from __future__ import annotations

import flet as ft

from accessibility.semantics import body_text, heading
from app.actions import Actions
from app.events.messages import event_title
from app.i18n import _, ngettext
from app.registry import Route
from services.catalog import Catalog
from views.catalog.parts import link_buttons
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
    institutions = catalog.institutions_in(code)
    services = catalog.services_in(code)
    now = actions.now()
    events = catalog.events_in(code, now)
    controls: list[ft.Control] = [
        body_text(
            _("{institutions}, {services} and {events} in {district}.").format(
                institutions=ngettext(
                    "{n} institution", "{n} institutions", len(institutions)
                ).format(n=len(institutions)),
                services=ngettext("{n} service", "{n} services", len(services)).format(
                    n=len(services)
                ),
                events=ngettext("{n} coming event", "{n} coming events", len(events)).format(
                    n=len(events)
                ),
                district=district.name,
            )
        ),
        heading(_("Institutions"), level=2),
    ]
    for institution in institutions:
        controls.append(
            link_buttons(
                [
                    (
                        institution.name,
                        f"institution-{institution.id}",
                        f"/institution/{institution.id}",
                    )
                ],
                actions,
            )
        )
        controls += [body_text(line) for line in (institution.address, institution.hours) if line]
    if not institutions:
        controls.append(body_text(_("No institutions in this district are saved on this device.")))
    controls.append(heading(_("Services offered here"), level=2))
    controls.append(
        link_buttons(((s.name, f"service-{s.id}", f"/service/{s.id}") for s in services), actions)
        if services
        else body_text(_("No services in this district are saved on this device."))
    )
    controls.append(heading(_("Coming events"), level=2))
    controls.append(
        link_buttons(
            (
                (event_title(e.model_dump(mode="json"), now), f"event-{e.id}", f"/event/{e.id}")
                for e in events
            ),
            actions,
        )
        if events
        else body_text(_("No events are coming up in this district."))
    )
    return screen_view(path, route.identifier, district.name, controls, actions)
