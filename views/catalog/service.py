"""Service detail (screen-service): what to bring, the steps, where to apply, related policies."""

from __future__ import annotations

import flet as ft

from accessibility.semantics import action_button, body_text, heading
from accessibility.theme import current_look
from app.actions import Actions
from app.i18n import _
from app.registry import Route
from services.catalog import Catalog, Institution, ServiceItem
from views.catalog.parts import example_note, field_label, field_lines, link_buttons
from views.chrome import missing_record_view, screen_view

# An institution's lines under "Where to apply"; the rest is on its own screen.
INSTITUTION_LINES = ("address", "phone", "hours")


def service_view(
    path: str,
    route: Route,
    service_id: str,
    catalog: Catalog,
    actions: Actions,
    *,
    pinned: bool = False,
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
    controls: list[ft.Control] = [
        pin_button(service, pinned, actions),
        body_text(service.category),
        body_text(service.description),
    ]
    controls += filter(None, [example_note(service)])
    for title, items in ((_("Materials to bring"), service.materials), (_("Steps"), service.steps)):
        if items:
            controls.append(heading(title, level=2))
            controls.extend(body_text(f"{n}. {item}") for n, item in enumerate(items, start=1))
    if service.how:
        controls += [heading(_("How to apply"), level=2), body_text(service.how)]
    controls += where_to_apply(service, catalog.institutions_for(service), actions)
    policies = catalog.policies_for_service(service.id)
    if policies:
        controls += [
            heading(_("Related policies"), level=2),
            link_buttons(
                ((p.title, f"policy-{p.id}", f"/policy/{p.id}") for p in policies), actions
            ),
        ]
    return screen_view(path, route.identifier, service.name, controls, actions)


def pin_button(service: ServiceItem, pinned: bool, actions: Actions) -> ft.Control:
    """Pin the service to the home screen, or take it off again (``pin-<id>`` either way)."""
    home = actions.home
    if pinned:
        return action_button(
            _("Unpin from my home screen"),
            f"pin-{service.id}",
            lambda _e: home.unpin(service.id),
            icon=ft.Icons.PUSH_PIN_OUTLINED,
        )
    return action_button(
        _("Pin to my home screen"),
        f"pin-{service.id}",
        lambda _e: home.pin(service.id),
        icon=ft.Icons.PUSH_PIN,
    )


def where_to_apply(
    service: ServiceItem, institutions: list[Institution], actions: Actions
) -> list[ft.Control]:
    """The service's own words on where to go, then each institution: a button and its lines."""
    if not service.where and not institutions:
        return []
    controls: list[ft.Control] = [heading(_("Where to apply"), level=2)]
    if service.where:
        controls.append(body_text(service.where))
    if any(set(INSTITUTION_LINES) & set(i.example_fields) for i in institutions):
        controls.append(
            body_text(
                _(
                    "Some addresses, phone numbers and opening hours below are example data. "
                    "Please check them before you go, for example by calling 12345."
                )
            )
        )
    shared = shared_facts(institutions)
    controls += [
        body_text(
            _("{label}, for every place below: {value}").format(
                label=field_label(name), value=value
            )
        )
        for name, value in shared.items()
    ]
    own_lines = [name for name in INSTITUTION_LINES if name not in shared]
    gap = current_look().scale.gap
    for institution in institutions:
        controls.append(
            ft.Column(
                [
                    action_button(
                        institution.name,
                        f"institution-{institution.id}",
                        lambda _e, i=institution.id: actions.go(f"/institution/{i}"),
                    ),
                    *field_lines(institution, own_lines),
                ],
                spacing=gap,
                horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
            )
        )
    return controls


def shared_facts(institutions: list[Institution]) -> dict[str, str]:
    """Facts every listed place has in common (often "to be confirmed, call 12345"): said once
    above the list rather than once per place, which a screen-reader user would hear a dozen times."""
    if len(institutions) < 2:
        return {}
    shared = {}
    for name in INSTITUTION_LINES:
        values = {getattr(i, name) for i in institutions}
        if len(values) == 1 and (value := values.pop()):
            shared[name] = value
    return shared
