"""Service detail (screen-service): what the catalogue says about one service."""

from __future__ import annotations

import flet as ft

from accessibility.semantics import body_text, heading
from app.actions import Actions
from app.i18n import _
from app.routes import Route
from services.catalog import Catalog
from views.chrome import missing_record_view, screen_view


def service_view(
    path: str, route: Route, service_id: str, catalog: Catalog, actions: Actions
) -> ft.View:
    service = catalog.service(service_id)
    if service is None:
        return missing_record_view(
            path,
            route.identifier,
            _("Service not found"),
            _("This service is not in the catalogue saved on this device."),
            actions,
        )
    extra = service.model_extra or {}
    controls: list[ft.Control] = [body_text(service.category), body_text(service.description)]
    for title, key in ((_("Materials to bring"), "materials"), (_("Steps"), "steps")):
        items = extra.get(key) or []
        if items:
            controls.append(heading(title, level=2))
            controls.extend(body_text(f"{n}. {item}") for n, item in enumerate(items, start=1))
    for title, key in ((_("Where to apply"), "where"), (_("How to apply"), "how")):
        if extra.get(key):
            controls += [heading(title, level=2), body_text(str(extra[key]))]
    if service.example_data:
        controls.append(
            body_text(_("Some details here are example data and have not been verified."))
        )
    return screen_view(path, route.identifier, service.name, controls, actions)
