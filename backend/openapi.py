"""``python -m backend.openapi [--check]``: write (or verify) the committed OpenAPI document.

The copy in the repository is the contract other servers implement; ``--check`` fails when the
code and the copy drift apart.
"""

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from backend.core.config import Settings
from backend.main import create_app

OPENAPI_PATH = Path(__file__).with_name("openapi.json")


def build_document() -> dict[str, Any]:
    """The app's generated document; an in-memory, unseeded database is enough to build it
    (in dev mode, whose key file goes to a throw-away folder)."""
    with tempfile.TemporaryDirectory(prefix="sunshine-openapi-") as tmp:
        app = create_app(Settings(env="dev", data_dir=Path(tmp), db_url="sqlite://", seed_dir=None))
        try:
            return app.openapi()
        finally:
            app.state.engine.dispose()


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m backend.openapi", description=__doc__)
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is out of date")
    args = parser.parse_args(argv)

    text = render(build_document())
    if args.check:
        current = OPENAPI_PATH.read_text(encoding="utf-8") if OPENAPI_PATH.exists() else ""
        if current != text:
            print(f"{OPENAPI_PATH} is out of date; run: python -m backend.openapi", file=sys.stderr)
            return 1
        print(f"{OPENAPI_PATH} is up to date")
        return 0
    OPENAPI_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {OPENAPI_PATH}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
