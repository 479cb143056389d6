"""Whether this machine can show the Flet desktop window, or should serve the web build."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def desktop_client_available() -> bool:
    """A display, and a Flet desktop client that is bundled or already downloaded.

    Flet would otherwise download its client from the internet at start-up, which a kiosk
    or an offline machine cannot do; the web build needs nothing from outside.
    """
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        return False
    try:
        import flet_desktop
        from flet_desktop.version import version
    except ImportError:
        return False
    bundled = Path(flet_desktop.get_package_bin_dir())
    if bundled.is_dir() and any(bundled.iterdir()):
        return True
    cache = Path.home() / ".flet" / "client"
    return any(cache.glob(f"flet-desktop-*-{version}*"))
