"""``python -m backend [--host H] [--port N] [--db URL]``: run the reference backend alone."""

import argparse
import logging

import uvicorn

from backend.core.config import Settings
from backend.main import create_app


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m backend", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="interface (default: %(default)s)")
    parser.add_argument("--port", type=int, default=8000, help="TCP port (default: %(default)s)")
    parser.add_argument(
        "--db",
        metavar="URL",
        default=None,
        help="SQLAlchemy database URL (default: $SUNSHINE_BACKEND_DB, else SQLite in the data dir)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s:     %(name)s: %(message)s")
    try:
        app = create_app(Settings(), db_url=args.db)
        uvicorn.run(app, host=args.host, port=args.port)
    except KeyboardInterrupt:
        # Ctrl-C is how one stops this server: uvicorn has already shut down gracefully and
        # merely re-raises the signal it captured; an interrupted start-up left no partial seed.
        pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
