"""``python -m backend [--dev] [--host H] [--port N] [--db URL]``: run the reference backend.

Production unless ``--dev`` (or ``SUNSHINE_ENV=dev``) asks for the demo; production refuses to
start, saying why, until its database, key file and SMS gateway are set.
``python -m backend new-key-file PATH`` writes a key file for a deployment.
``python -m backend migrate [--db URL]`` brings the database schema up to date and stops (the
server does the same at every start; run it alone before starting several workers).
``python -m backend staff PHONE --districts 310101,310104 [--db URL]`` makes someone staff in
those districts (``--districts ""``: no longer staff).
``python -m backend rotate-keys [--db URL]`` seals every value again under the key file's
current key (after a new key was added to the file and made current; see README).
"""

import argparse
import contextlib
import os
import sys
from pathlib import Path

import uvicorn
from pydantic import ValidationError
from sqlalchemy import Engine

from backend.core.config import Settings
from backend.core.db import create_db_engine, create_session_factory, writer
from backend.core.key_checks import check_key_file
from backend.core.keys import KeyFileError, KeyRing
from backend.core.logs import configure_logging
from backend.core.migrate import current, upgrade
from backend.core.reseal import reindex_phones, reseal, sealed_columns
from backend.core.sealed import cipher_of
from backend.core.security import mask_phone, normalise_phone
from backend.main import create_app
from backend.seed import begin_write
from backend.staff import DISTRICT_CODE, appoint
from backend.tables import metadata

COMMANDS = ("serve", "new-key-file", "migrate", "staff", "rotate-keys")


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
    staff = commands.add_parser("staff", help="appoint staff to districts (or remove them)")
    staff.add_argument("phone", help="their mobile phone number")
    staff.add_argument(
        "--districts",
        required=True,
        type=lambda text: [d.strip() for d in text.split(",") if d.strip()],
        help='district codes (3101xx), comma-separated; "" removes the staff role',
    )
    rotate = commands.add_parser(
        "rotate-keys", help="seal every value again under the key file's current key"
    )
    for command in (serve, migrate_command, staff, rotate):
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
    try:
        if args.command == "staff":
            return _staff(args.db, args.phone, args.districts)
        if args.command == "rotate-keys":
            return _rotate_keys(args.db)
    except KeyFileError as error:
        print(error, file=sys.stderr)
        return 2
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


def _database(db_url: str | None) -> Engine | None:
    """The database, with the server's key ring (its rows are sealed); no SMS gateway is
    needed. The key file is ``SUNSHINE_KEY_FILE``'s, or in dev mode the data dir's."""
    url = db_url or os.environ.get("SUNSHINE_BACKEND_DB")
    if not url:
        print("Which database? Give --db URL or set SUNSHINE_BACKEND_DB.", file=sys.stderr)
        return None
    key_file = os.environ.get("SUNSHINE_KEY_FILE")
    try:
        if key_file:
            keys = KeyRing.load(Path(key_file))
        elif os.environ.get("SUNSHINE_ENV") == "dev":
            keys = KeyRing.load_or_create(Settings(env="dev").key_path)
        else:
            print("Which key file? Set SUNSHINE_KEY_FILE (the server's).", file=sys.stderr)
            return None
    except KeyFileError as error:
        print(error, file=sys.stderr)
        return None
    return create_db_engine(url, keys)


def _migrate(db_url: str | None) -> int:
    if (engine := _database(db_url)) is None:
        return 2
    try:
        upgrade(engine)
        with engine.connect() as connection:
            print(f"The database is at revision {current(connection)}.")
    finally:
        engine.dispose()
    return 0


def _staff(db_url: str | None, phone: str, districts: list[str]) -> int:
    try:
        phone = normalise_phone(phone)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    if bad := [d for d in districts if not DISTRICT_CODE.fullmatch(d)]:
        print(f"Not Shanghai district codes (3101xx): {', '.join(bad)}", file=sys.stderr)
        return 2
    if (engine := _database(db_url)) is None:
        return 2
    try:
        upgrade(engine)
        with create_session_factory(engine)() as session:
            check_key_file(session)  # else the phone's index would not find them
            begin_write(session)
            user = appoint(session, phone, districts)
            session.commit()
            where = ", ".join(user.staff_districts or []) or "no district (not staff)"
            print(f"{mask_phone(phone)}: staff in {where}.")
    finally:
        engine.dispose()
    return 0


def _rotate_keys(db_url: str | None) -> int:
    if (engine := _database(db_url)) is None:
        return 2
    try:
        upgrade(engine)
        with create_session_factory(engine)() as session:
            check_key_file(session)  # the old keys must be the database's, or nothing opens
        cipher = cipher_of(engine.dialect)
        with writer(engine).begin() as connection:
            rewritten = reseal(connection, cipher, sealed_columns(metadata))
            reindex_phones(connection, cipher)
        print(f"{rewritten} values sealed again under key {cipher.current}.")
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
