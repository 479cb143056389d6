"""One place for every size and colour the views use (DESIGN.md §5).

Issue 2 ships the standard mode; 长辈版 and high contrast derive from the same ``Scale``.
Colours are chosen for WCAG contrast: body text on background is about 16:1, primary on
background about 7:1, white on primary about 7:1.
"""

from __future__ import annotations

from dataclasses import dataclass

import flet as ft

FONT_FAMILY = "SunshineSansSC"
# Relative to the Flet assets dir; the web overlay copies it to the same place.
FONT_ASSET = "fonts/SunshineSansSC-Regular.otf"

BACKGROUND = "#FDFCFF"
ON_BACKGROUND = "#1A1C1E"
PRIMARY = "#0A4F9E"
ON_PRIMARY = "#FFFFFF"
SURFACE_VARIANT = "#E4E9F2"
OFFLINE_BG = "#FFF4D6"
OFFLINE_FG = "#4A3500"
ONLINE_BG = "#E3F4E8"
ONLINE_FG = "#0D3B1E"


@dataclass(frozen=True)
class Scale:
    """Logical sizes; every view size comes from here, never a literal in views/."""

    body: float = 18
    small: float = 16
    title: float = 22
    heading: float = 28
    line_height: float = 1.4
    target: float = 48  # minimum touch target edge
    gap: float = 12
    padding: float = 16
    icon: float = 28


STANDARD = Scale()


def build_theme(scale: Scale = STANDARD) -> ft.Theme:
    def style(size: float) -> ft.TextStyle:
        # font_family again here: a text_theme style without one resets the theme's font.
        return ft.TextStyle(
            size=size, height=scale.line_height, color=ON_BACKGROUND, font_family=FONT_FAMILY
        )

    return ft.Theme(
        font_family=FONT_FAMILY,
        # Desktop browsers default to compact density, which shrinks buttons below 48 px.
        visual_density=ft.VisualDensity.STANDARD,
        color_scheme=ft.ColorScheme(
            primary=PRIMARY,
            on_primary=ON_PRIMARY,
            surface=BACKGROUND,
            on_surface=ON_BACKGROUND,
            surface_container_highest=SURFACE_VARIANT,
        ),
        text_theme=ft.TextTheme(
            body_large=style(scale.body),
            body_medium=style(scale.body),
            body_small=style(scale.small),
            title_large=style(scale.title),
            title_medium=style(scale.body),
            headline_medium=style(scale.heading),
            label_large=style(scale.body),
        ),
    )
