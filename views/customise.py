"""Customise the home screen (screen-customise): move, hide and show sections; order and unpin
pinned services. Every move is a pair of buttons, never a drag, so a screen reader, a switch
or a keyboard can do it; each change is announced with the new position.
"""

from __future__ import annotations

import flet as ft

from accessibility.semantics import action_button, body_text, heading
from app.actions import Actions
from app.home_messages import position_sentence, section_title
from app.i18n import _
from app.routes import Route
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
        state_line = _("Hidden.") if hidden else _("Shown.")
        controls.append(
            card(
                f"section-{section}",
                [
                    heading(section_title(section), level=3),
                    body_text(f"{position_sentence(section, place, count)} {state_line}"),
                    wrap(
                        [
                            action_button(
                                _("Move {name} up").format(name=section_title(section)),
                                f"section-up-{section}",
                                lambda _e, s=section: home.move(s, -1),
                                icon=ft.Icons.ARROW_UPWARD,
                            ),
                            action_button(
                                _("Move {name} down").format(name=section_title(section)),
                                f"section-down-{section}",
                                lambda _e, s=section: home.move(s, 1),
                                icon=ft.Icons.ARROW_DOWNWARD,
                            ),
                            action_button(
                                (_("Show {name}") if hidden else _("Hide {name}")).format(
                                    name=section_title(section)
                                ),
                                f"section-hide-{section}",
                                (lambda _e, s=section: home.show(s))
                                if hidden
                                else (lambda _e, s=section: home.hide(s)),
                                icon=ft.Icons.VISIBILITY if hidden else ft.Icons.VISIBILITY_OFF,
                            ),
                        ]
                    ),
                ],
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
            card(
                f"pinned-service-{service.id}",
                [
                    heading(service.name, level=3),
                    body_text(
                        _("Position {position} of {count}.").format(position=n, count=len(pinned))
                    ),
                    wrap(
                        [
                            action_button(
                                _("Move {name} up").format(name=service.name),
                                f"pin-up-{service.id}",
                                lambda _e, i=service.id: home.move_pin(i, -1),
                                icon=ft.Icons.ARROW_UPWARD,
                            ),
                            action_button(
                                _("Move {name} down").format(name=service.name),
                                f"pin-down-{service.id}",
                                lambda _e, i=service.id: home.move_pin(i, 1),
                                icon=ft.Icons.ARROW_DOWNWARD,
                            ),
                            action_button(
                                _("Unpin {name}").format(name=service.name),
                                f"unpin-{service.id}",
                                lambda _e, i=service.id: home.unpin(i),
                                icon=ft.Icons.PUSH_PIN_OUTLINED,
                            ),
                        ]
                    ),
                ],
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
