"""One place for every size and colour the views use (DESIGN.md §5).

A ``Look`` is what the person chose in settings: standard or 长辈版 (large text), normal or high
contrast, and a text scale from 100 % to 200 %. Views never hold a raw size or colour; they ask
``current_look()``. The look is process-wide, like the language: one person per app process.

Colour pairs are picked for WCAG contrast and checked by tests/unit/test_theme.py: even the
standard palette keeps text at 7:1 or more, so 长辈版 only has to change sizes.
"""

from __future__ import annotations

from dataclasses import dataclass

import flet as ft

FONT_FAMILY = "SunshineSansSC"
# Relative to the Flet assets dir; the web overlay copies it to the same place.
FONT_ASSET = "fonts/SunshineSansSC-Regular.otf"

TEXT_SCALES: tuple[float, ...] = (1.0, 1.25, 1.5, 1.75, 2.0)
MIN_TEXT_SCALE, MAX_TEXT_SCALE = TEXT_SCALES[0], TEXT_SCALES[-1]


@dataclass(frozen=True)
class Palette:
    background: str
    on_background: str
    primary: str
    on_primary: str
    outline: str
    offline_bg: str
    offline_fg: str
    online_bg: str
    online_fg: str
    border_width: float


STANDARD_PALETTE = Palette(
    background="#FDFCFF",
    on_background="#1A1C1E",  # 16.7:1
    primary="#0A4F9E",  # 7.8:1 on background
    on_primary="#FFFFFF",  # 8.0:1 on primary
    outline="#0A4F9E",
    offline_bg="#FFF4D6",
    offline_fg="#4A3500",  # 10.6:1
    online_bg="#E3F4E8",
    online_fg="#0D3B1E",  # 11.1:1
    border_width=1,
)

HIGH_CONTRAST_PALETTE = Palette(
    background="#FFFFFF",
    on_background="#000000",  # 21:1
    primary="#00297A",  # 13.1:1 on white
    on_primary="#FFFFFF",
    outline="#000000",
    offline_bg="#FFFFFF",
    offline_fg="#000000",
    online_bg="#FFFFFF",
    online_fg="#000000",
    border_width=3,
)


@dataclass(frozen=True)
class Scale:
    """Logical sizes for one look; the minimums are DESIGN.md §5's."""

    body: float
    small: float
    title: float
    heading: float
    icon: float
    line_height: float
    target: float  # minimum touch-target edge
    gap: float
    padding: float
    min_contrast: float
    radius: float = 8  # corner radius of buttons and banners

    @property
    def button_padding(self) -> float:
        """Vertical padding that makes a one-line button at least ``target`` high."""
        return max(self.gap, (self.target - self.body * self.line_height) / 2 + 1)

    @property
    def qr_code(self) -> float:
        """A QR code's edge: large enough for a door scanner at arm's length, bigger in 长辈版."""
        return self.target * 4


@dataclass(frozen=True)
class Look:
    large_text: bool
    high_contrast: bool
    text_scale: float
    scale: Scale
    palette: Palette


def look_for(
    large_text: bool = False, high_contrast: bool = False, text_scale: float = 1.0
) -> Look:
    text_scale = min(max(text_scale, MIN_TEXT_SCALE), MAX_TEXT_SCALE)
    body = (22 if large_text else 18) * text_scale
    scale = Scale(
        body=body,
        small=max(body - 2, 18 if large_text else 16),
        title=body * 1.25,
        heading=body * 1.5,
        icon=body * 1.4,
        line_height=1.4,
        target=60 if large_text else 48,
        gap=16 if large_text else 12,
        padding=20 if large_text else 16,
        min_contrast=7.0 if (large_text or high_contrast) else 4.5,
    )
    palette = HIGH_CONTRAST_PALETTE if high_contrast else STANDARD_PALETTE
    return Look(large_text, high_contrast, text_scale, scale, palette)


STANDARD = look_for()
_current = STANDARD


def current_look() -> Look:
    return _current


def set_look(look: Look) -> None:
    global _current
    _current = look


def build_theme(look: Look | None = None) -> ft.Theme:
    look = look or current_look()
    scale, palette = look.scale, look.palette

    def style(size: float) -> ft.TextStyle:
        # font_family again here: a text_theme style without one resets the theme's font.
        return ft.TextStyle(
            size=size,
            height=scale.line_height,
            color=palette.on_background,
            font_family=FONT_FAMILY,
        )

    return ft.Theme(
        font_family=FONT_FAMILY,
        # Desktop browsers default to compact density, which shrinks buttons below 48 px.
        visual_density=ft.VisualDensity.STANDARD,
        color_scheme=ft.ColorScheme(
            primary=palette.primary,
            on_primary=palette.on_primary,
            surface=palette.background,
            on_surface=palette.on_background,
            on_surface_variant=palette.on_background,
            outline=palette.outline,
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
