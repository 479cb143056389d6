"""What every screen shares: the page frame, the back action and the read-aloud action."""

from __future__ import annotations

import flet as ft

from accessibility.reading import readable_texts
from accessibility.semantics import action_button, body_text, screen, status_region
from accessibility.theme import current_look
from app.actions import Actions
from app.i18n import _
from app.kiosk.actions import KioskActions
from app.kiosk.messages import (
    continue_label,
    countdown_sentence,
    finish_label,
    idle_warning_sentence,
)
from app.proxy.actions import STOP_ACTING, ProxyActions
from app.proxy.messages import acting_banner


def screen_view(
    route: str,
    identifier: str,
    title: str,
    controls: list[ft.Control],
    actions: Actions,
    *,
    back_to: str | None = "/",
    on_top: bool = True,
) -> ft.View:
    """A routed screen: back (unless it is home), 朗读, the h1, then the content.

    Read-aloud speaks the heading and the content in reading order, derived from the controls.
    """
    texts = [title, *readable_texts(controls)]
    leading: list[ft.Control] = []
    if back_to is not None:
        leading.append(
            action_button(
                _("Back"), "nav-back", lambda _e: actions.go(back_to), icon=ft.Icons.ARROW_BACK
            )
        )
    leading.append(
        action_button(
            _("Read aloud"),
            "read-aloud",
            lambda _e: actions.read_aloud(texts),
            icon=ft.Icons.RECORD_VOICE_OVER,
        )
    )
    if actions.proxy is not None:
        banner = acting_for_banner(actions.proxy)
        if banner is not None:
            controls = [banner, *controls]
    if actions.kiosk is not None:
        leading.append(kiosk_finish_button(actions.kiosk))
        countdown = kiosk_countdown(actions.kiosk)
        if countdown is not None:
            controls = [countdown, *controls]
    look = current_look()
    return ft.View(
        route=route,
        padding=look.scale.padding,
        bgcolor=look.palette.background,
        controls=[
            screen(
                identifier,
                title,
                controls,
                leading=[
                    ft.Row(leading, wrap=True, spacing=look.scale.gap, run_spacing=look.scale.gap)
                ],
                on_top=on_top,
            )
        ],
    )


def acting_for_banner(proxy: ProxyActions) -> ft.Control | None:
    """While a helper acts for a resident, every screen says for whom, with the way out."""
    acting = proxy.state.personal.acting_for
    if acting is None:
        return None
    return ft.Column(
        [
            notice(
                acting_banner(str(acting.get("resident_name") or "")),
                "acting-for",
                warning=True,
                icon=ft.Icons.SUPERVISOR_ACCOUNT,
            ),
            action_button(
                _("Stop acting for {name}").format(name=acting.get("resident_name") or ""),
                "act-for-stop",
                lambda _e: proxy.stop(),
                icon=ft.Icons.LOGOUT,
            ),
            *(
                [
                    action_button(
                        _("Stop now; send the waiting actions later"),
                        "act-for-stop-anyway",
                        lambda _e: proxy.stop(keep_waiting=True),
                    )
                ]
                if proxy.state.confirming == STOP_ACTING
                else []
            ),
        ],
        spacing=current_look().scale.gap,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )


def kiosk_finish_button(kiosk: KioskActions) -> ft.Control:
    """On every kiosk screen: end the session now and clear everything (DESIGN.md §6)."""
    return action_button(
        finish_label(), "kiosk-finish", lambda _e: kiosk.finish(), icon=ft.Icons.LOGOUT
    )


def kiosk_countdown(kiosk: KioskActions) -> ft.Control | None:
    """The idle warning, first on the screen while it runs. Not a live region: the warning and
    the last ten seconds are announced once each, not every second."""
    seconds_left = kiosk.state.kiosk.seconds_left
    if seconds_left is None:
        return None
    look = current_look()
    scale, palette = look.scale, look.palette
    return ft.Semantics(
        identifier="kiosk-warning",
        container=True,
        content=ft.Container(
            content=ft.Column(
                [
                    ft.Semantics(
                        identifier="kiosk-countdown",
                        container=True,
                        content=ft.Text(
                            countdown_sentence(seconds_left),
                            size=scale.heading,
                            weight=ft.FontWeight.BOLD,
                            color=palette.offline_fg,
                        ),
                    ),
                    ft.Semantics(
                        container=True,
                        content=ft.Text(
                            idle_warning_sentence(seconds_left),
                            size=scale.body,
                            color=palette.offline_fg,
                        ),
                    ),
                    action_button(
                        continue_label(),
                        "kiosk-continue",
                        lambda _e: kiosk.keep_going(),
                        icon=ft.Icons.PLAY_ARROW,
                    ),
                ],
                spacing=scale.gap,
                horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
            ),
            bgcolor=palette.offline_bg,
            padding=scale.padding,
            border_radius=scale.radius,
            border=ft.Border.all(palette.border_width, palette.offline_fg),
        ),
    )


def missing_record_view(
    path: str, identifier: str, title: str, sentence: str, actions: Actions
) -> ft.View:
    """A detail screen whose record is not in the local store (yet): say so, offer the way back."""
    return screen_view(path, identifier, title, [body_text(sentence)], actions)


def notice(
    text: str,
    identifier: str,
    *,
    warning: bool,
    icon: ft.IconData | None = None,
    focus_key: str | None = None,
) -> ft.Control:
    """A coloured sentence. Not a live region: what it says is announced once, by whoever
    changed it (an action's outcome, the connection's state), never twice. ``focus_key``:
    it takes the focus (``status_region``)."""
    look = current_look()
    scale, palette = look.scale, look.palette
    foreground = palette.offline_fg if warning else palette.online_fg
    row: list[ft.Control] = []
    if icon is not None:
        row.append(ft.Icon(icon, color=foreground, size=scale.icon))
    row.append(ft.Text(text, size=scale.body, color=foreground, expand=True))
    return status_region(
        ft.Container(
            content=ft.Row(row, spacing=scale.gap),
            bgcolor=palette.offline_bg if warning else palette.online_bg,
            padding=scale.padding,
            border_radius=scale.radius,
            border=ft.Border.all(palette.border_width, foreground) if look.high_contrast else None,
        ),
        identifier=identifier,
        focus_key=focus_key,
    )


def wrap(controls: list[ft.Control]) -> ft.Control:
    """Controls side by side, flowing onto the next line when the screen is narrow."""
    gap = current_look().scale.gap
    return ft.Row(controls, wrap=True, spacing=gap, run_spacing=gap)


def heading_text(control: ft.Control | None) -> str | None:
    """The words of a heading (accessibility.semantics.heading), else None."""
    if (
        isinstance(control, ft.Semantics)
        and control.header
        and isinstance(control.content, ft.Text)
    ):
        return str(control.content.value)
    return None


def card(identifier: str, parts: list[ft.Control], *, name: str | None = None) -> ft.Control:
    """A bordered group a screen reader enters as one container (an inbox item, a trip).

    Each text is its own semantics node: left alone, Flutter merges every plain text of the
    group into the group's label, which a screen reader says before the heading, out of order.
    The group is named (``name``, or the heading it starts with): Tabbing into it, Orca says
    "视障朋友读书会 面板" before its buttons, so six 报名 buttons are six different ones.
    """
    name = name if name is not None else heading_text(parts[0] if parts else None)
    look = current_look()
    scale, palette = look.scale, look.palette
    parts = [
        ft.Semantics(container=True, content=p) if isinstance(p, ft.Text) else p for p in parts
    ]
    return ft.Semantics(
        identifier=identifier,
        container=True,
        label=name,
        content=ft.Container(
            content=ft.Column(
                parts, spacing=scale.gap, horizontal_alignment=ft.CrossAxisAlignment.STRETCH
            ),
            padding=scale.padding,
            border_radius=scale.radius,
            border=ft.Border.all(palette.border_width, palette.outline),
        ),
    )
