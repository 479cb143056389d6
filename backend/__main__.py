"""``python -m backend [--dev] [--host H] [--port N] [--db URL]``: run the reference backend.

Production unless ``--dev`` (or ``SUNSHINE_ENV=dev``) asks for the demo; production refuses to
start, saying why, until its database, key file and SMS gateway are set.
``python -m backend new-key-file PATH`` writes a key file for a deployment.
``python -m backend migrate [--db URL]`` brings the database schema up to date and stops (the
server does the same at every start; run it alone before starting several workers).
"""

import argparse
import contextlib
import os
import sys
from pathlib import Path

import uvicorn
from pydantic import ValidationError

from backend.core.config import Settings
from backend.core.db import create_db_engine
from backend.core.keys import KeyFileError, KeyRing
from backend.core.logs import configure_logging
from backend.core.migrate import current, upgrade
from backend.main import create_app

COMMANDS = ("serve", "new-key-file", "migrate")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in (*COMMANDS, "-h", "--help"):
        argv.insert(0, "serve")  # the command may be left out: serving is what one usually wants
    parser = argparse.ArgumentParser(prog="python -m backend", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the server (the default command)")
    serve.add_argument("--host", default="127.0.0.1", help="interface (default: %(default)s)")
    serve.add_argument("--port", type=int, default=8000, help="TCP port (default: %(default)s)")
    migrate_command = commands.add_parser("migrate", help="bring the schema up to date")
    for command in (serve, migrate_command):
        command.add_argument(
            "--db",
            metavar="URL",
            default=None,
            help="SQLAlchemy database URL (default: $SUNSHINE_BACKEND_DB; in dev, SQLite in the "
            "data dir)",
        )
    serve.add_argument(
        "--dev",
        action="store_true",
        help="dev mode: demo data, sign-in codes in the log, the dev sign-in code",
    )
    new_key = commands.add_parser("new-key-file", help="write a new key file (never overwrites)")
    new_key.add_argument("path", type=Path)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.command == "new-key-file":
        return _new_key_file(args.path)
    if args.command == "migrate":
        return _migrate(args.db)
    overrides: dict[str, object] = {"env": "dev"} if args.dev else {}
    if args.db is not None:
        overrides["db_url"] = args.db
    try:
        settings = Settings(**overrides)
        configure_logging(json_lines=settings.json_logs)
        app = create_app(settings)
    except (ValidationError, KeyFileError) as error:
        print(f"The backend did not start: {_sentences(error)}", file=sys.stderr)
        return 2
    # Ctrl-C is how one stops this server: uvicorn has already shut down gracefully and merely
    # re-raises the signal it captured; an interrupted start-up left no partial seed.
    with contextlib.suppress(KeyboardInterrupt):
        uvicorn.run(app, host=args.host, port=args.port, log_config=None)
    return 0


def _new_key_file(path: Path) -> int:
    try:
        KeyRing.create(path)
    except FileExistsError:
        print(f"{path} exists already; a key file is never overwritten.", file=sys.stderr)
        return 1
    print(f"Wrote a new key file to {path} (readable by its owner only). Keep a copy safe:")
    print("without it nothing encrypted with it can be read.")
    return 0


def _migrate(db_url: str | None) -> int:
    """Only the database matters here: no key file or SMS gateway is needed to migrate."""
    url = db_url or os.environ.get("SUNSHINE_BACKEND_DB")
    if not url:
        print("Which database? Give --db URL or set SUNSHINE_BACKEND_DB.", file=sys.stderr)
        return 2
    engine = create_db_engine(url)
    try:
        upgrade(engine)
        with engine.connect() as connection:
            print(f"The database is at revision {current(connection)}.")
    finally:
        engine.dispose()
    return 0


def _sentences(error: ValidationError | KeyFileError) -> str:
    if isinstance(error, KeyFileError):
        return str(error)
    return "\n".join(
        str(detail["msg"]).removeprefix("Value error, ")
        if not detail["loc"]
        else f"SUNSHINE_{str(detail['loc'][0]).upper()}: {detail['msg']}"
        for detail in error.errors()
    )


if __name__ == "__main__":
    raise SystemExit(main())
