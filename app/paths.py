"""Where the app's bundled files are, independent of the current directory."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
ASSETS_DIR = REPO_ROOT / "assets"
LOCALE_DIR = ASSETS_DIR / "locales"
FONTS_DIR = ASSETS_DIR / "fonts"
