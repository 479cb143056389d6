"""Policy detail (screen-policy): who issued it and when, what it says, the services it covers."""

from __future__ import annotations

import flet as ft

from accessibility.semantics import body_text, heading
from app.actions import Actions
from app.i18n import _, format_day
from app.registry import Route
from services.catalog import Catalog
from views.catalog.parts import example_note, field_line, link_buttons
from views.chrome import missing_record_view, screen_view


def policy_view(
    path: str, route: Route, policy_id: str, catalog: Catalog, actions: Actions
) -> ft.View:
    policy = catalog.policy(policy_id)
    if policy is None:
        return missing_record_view(
            path,
            route.identifier,
            _("Policy not found"),
            _("This policy is not in the catalogue saved on this device."),
            actions,
        )
    lines = [
        field_line("issuer", policy.issuer),
        field_line("date", format_day(policy.date) if policy.date else None),
        field_line("doc_number", policy.doc_number),
    ]
    controls: list[ft.Control] = [line for line in lines if line is not None]
    controls += filter(None, [example_note(policy)])
    if policy.summary:
        controls += [heading(_("Summary"), level=2), body_text(policy.summary)]
    services = catalog.services_for(policy.related_service_ids)
    if services:
        controls += [
            heading(_("Related services"), level=2),
            link_buttons(
                ((s.name, f"service-{s.id}", f"/service/{s.id}") for s in services), actions
            ),
        ]
    return screen_view(path, route.identifier, policy.title, controls, actions)
