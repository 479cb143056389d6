"""The looks meet DESIGN.md §5's numbers by construction."""

from __future__ import annotations

import ast

import pytest

from accessibility.contrast import contrast_ratio
from accessibility.theme import (
    HIGH_CONTRAST_PALETTE,
    STANDARD_PALETTE,
    TEXT_SCALES,
    Palette,
    look_for,
)
from tests import paths

REPO = paths.REPO_ROOT


def text_pairs(palette: Palette) -> dict[str, tuple[str, str]]:
    return {
        "body text": (palette.on_background, palette.background),
        "outlined button label": (palette.primary, palette.background),
        "filled button label": (palette.on_primary, palette.primary),
        "offline banner": (palette.offline_fg, palette.offline_bg),
        "online banner": (palette.online_fg, palette.online_bg),
    }


@pytest.mark.parametrize("palette", [STANDARD_PALETTE, HIGH_CONTRAST_PALETTE])
def test_every_text_colour_pair_reaches_seven_to_one(palette):
    low = {name: round(contrast_ratio(*pair), 2) for name, pair in text_pairs(palette).items()}
    assert all(ratio >= 7 for ratio in low.values()), low


def test_contrast_ratio_matches_wcag_reference_values():
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21)
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#FFFFFF", "#FFFFFF") == pytest.approx(1)


@pytest.mark.parametrize("text_scale", TEXT_SCALES)
def test_standard_sizes(text_scale):
    scale = look_for(text_scale=text_scale).scale
    assert scale.body >= 16 and scale.small >= 16
    assert scale.line_height >= 1.3
    assert scale.target >= 48 and scale.min_contrast == 4.5
    assert scale.body * scale.line_height + 2 * scale.button_padding >= scale.target


@pytest.mark.parametrize("text_scale", TEXT_SCALES)
def test_large_text_sizes(text_scale):
    look = look_for(large_text=True, text_scale=text_scale)
    scale = look.scale
    assert scale.body >= 18 and scale.small >= 18
    assert scale.target >= 60 and scale.min_contrast == 7
    assert scale.body * scale.line_height + 2 * scale.button_padding >= scale.target


def test_largest_setting_reaches_thirty_and_scale_is_clamped():
    assert look_for(large_text=True, text_scale=2.0).scale.body >= 30
    assert look_for(text_scale=5).text_scale == 2.0
    assert look_for(text_scale=0.5).text_scale == 1.0
    assert look_for(high_contrast=True).palette is HIGH_CONTRAST_PALETTE
    assert look_for(high_contrast=True).scale.min_contrast == 7


SIZE_KEYWORDS = {
    "size",
    "padding",
    "spacing",
    "run_spacing",
    "height",
    "width",
    "border_radius",
    "radius",
}


def test_views_hold_no_raw_sizes():
    """Every size in views/ comes from the look (issue 3): no numeric literal for a size."""
    found = []
    for path in sorted((REPO / "views").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.keyword)
                and node.arg in SIZE_KEYWORDS
                and any(
                    isinstance(n, ast.Constant)
                    and isinstance(n.value, int | float)
                    and not isinstance(n.value, bool)
                    for n in ast.walk(node.value)
                )
            ):
                found.append(f"{path.relative_to(REPO)}:{node.value.lineno} {node.arg}=")
    assert found == []
