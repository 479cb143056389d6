"""WCAG 2.x contrast, used by the palette tests and the screenshot-based audit."""

from __future__ import annotations

RGB = tuple[int, int, int]


def parse_hex(colour: str) -> RGB:
    value = colour.lstrip("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


def relative_luminance(rgb: RGB) -> float:
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: RGB | str, b: RGB | str) -> float:
    la = relative_luminance(parse_hex(a) if isinstance(a, str) else a)
    lb = relative_luminance(parse_hex(b) if isinstance(b, str) else b)
    lighter, darker = max(la, lb), min(la, lb)
    return (lighter + 0.05) / (darker + 0.05)
