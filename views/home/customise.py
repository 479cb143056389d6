"""Customise the home screen (screen-customise): move, hide and show sections; order and unpin
pinned services. Every move is a pair of buttons, never a drag, so a screen reader, a switch
or a keyboard can do it; each change is announced with the new position.
"""

from __future__ import annotations

import flet as ft

from accessibility.semantics import Handler, action_button, body_text, heading
from app.actions import Actions
from app.home.messages import position_sentence, section_title
from app.i18n import _
from app.registry import Route
from app.state import AppState
from services.catalog import Catalog
from views.chrome import card, screen_view, wrap


def customise_view(
    path: str, route: Route, state: AppState, catalog: Catalog, actions: Actions
) -> ft.View:
    layout = state.preferences.home
    home = actions.home
    controls: list[ft.Control] = [
        body_text(
            _(
                "Choose what the home screen shows and in which order. Changes are kept on "
                "this device."
            )
        ),
        heading(_("Sections"), level=2),
    ]
    for section in layout.sections():
        place, count = layout.position(section)
        hidden = layout.is_hidden(section)
        name = section_title(section)
        controls.append(
            reorder_card(
                f"section-{section}",
                name,
                f"{position_sentence(section, place, count)} "
                + (_("Hidden.") if hidden else _("Shown.")),
                (f"section-up-{section}", lambda _e, s=section: home.move(s, -1)),
                (f"section-down-{section}", lambda _e, s=section: home.move(s, 1)),
                action_button(
                    (_("Show {name}") if hidden else _("Hide {name}")).format(name=name),
                    f"section-hide-{section}",
                    (lambda _e, s=section: home.show(s))
                    if hidden
                    else (lambda _e, s=section: home.hide(s)),
                    icon=ft.Icons.VISIBILITY if hidden else ft.Icons.VISIBILITY_OFF,
                ),
            )
        )
    controls.append(heading(_("Pinned services"), level=2))
    pinned = catalog.services_for(layout.pinned)
    if not pinned:
        controls.append(
            body_text(_("Nothing is pinned. Open a service and choose “Pin to my home screen”."))
        )
    for n, service in enumerate(pinned, start=1):
        controls.append(
            reorder_card(
                f"pinned-service-{service.id}",
                service.name,
                _("Position {position} of {count}.").format(position=n, count=len(pinned)),
                (f"pin-up-{service.id}", lambda _e, i=service.id: home.move_pin(i, -1)),
                (f"pin-down-{service.id}", lambda _e, i=service.id: home.move_pin(i, 1)),
                action_button(
                    _("Unpin {name}").format(name=service.name),
                    f"unpin-{service.id}",
                    lambda _e, i=service.id: home.unpin(i),
                    icon=ft.Icons.PUSH_PIN_OUTLINED,
                ),
            )
        )
    controls.append(
        action_button(
            _("Restore the standard home screen"),
            "home-reset",
            lambda _e: home.reset(),
            icon=ft.Icons.RESTART_ALT,
        )
    )
    return screen_view(path, route.identifier, _(route.title), controls, actions)


Button = tuple[str, Handler]  # (identifier, on_click)


def reorder_card(
    identifier: str, name: str, where: str, up: Button, down: Button, third: ft.Control
) -> ft.Control:
    """One thing to arrange: its name, where it stands, move up, move down, and one more
    action. Each button names what it moves, so a list of buttons read alone still makes sense."""
    return card(
        identifier,
        [
            heading(name, level=3),
            body_text(where),
            wrap(
                [
                    action_button(
                        _("Move {name} up").format(name=name),
                        up[0],
                        up[1],
                        icon=ft.Icons.ARROW_UPWARD,
                    ),
                    action_button(
                        _("Move {name} down").format(name=name),
                        down[0],
                        down[1],
                        icon=ft.Icons.ARROW_DOWNWARD,
                    ),
                    third,
                ]
            ),
        ],
    )
