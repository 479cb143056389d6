"""Sunshine (阳光申办): ``python main.py [--web] [--kiosk] [--port N] [--api-url URL]``.

Starts the embedded reference backend unless an API URL is given (``--api-url`` or
``SUNSHINE_API_URL``), then the app: a desktop window where a Flet desktop client is available,
otherwise the web build on 127.0.0.1. Ctrl-C stops both.
"""

from __future__ import annotations

import argparse
import logging
import os
import socket
import sys

import flet as ft
from pydantic import ValidationError

from app.context import build_context
from app.desktop import desktop_client_available
from app.i18n import LANGUAGE_TAGS, set_language
from app.paths import ASSETS_DIR
from app.shell import make_page_main
from app.web_client import prepare_web_overlay
from services.config import ClientSettings
from views.router import render_screens

DEFAULT_PORT = 8550


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python main.py", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--web",
        action="store_true",
        help="serve the web build even if a desktop window is possible",
    )
    parser.add_argument(
        "--kiosk", action="store_true", help="kiosk mode for community service points"
    )
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help="web port (default: %(default)s)"
    )
    parser.add_argument(
        "--api-url", default=None, help="backend URL (default: $SUNSHINE_API_URL, else embedded)"
    )
    return parser.parse_args(argv)


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        # As uvicorn binds: connections of a previous run in TIME_WAIT do not count as in use.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    for noisy in ("flet", "flet_web", "flet_desktop", "httpx", "uvicorn.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        settings = ClientSettings(**({"api_url": args.api_url} if args.api_url else {}))
    except ValidationError as error:
        problems = (str(e["msg"]).removeprefix("Value error, ") for e in error.errors())
        print(f"Sunshine did not start: {'; '.join(problems)}", file=sys.stderr)
        return 2
    set_language(settings.language)
    use_web = args.web or not desktop_client_available()
    if use_web and not port_is_free(args.port):
        print(f"Port {args.port} is in use; choose another with --port.", file=sys.stderr)
        return 2

    backend = None
    api_url = settings.api_url  # production has one: an https:// address (ClientSettings)
    if not api_url:
        from backend.core.config import Settings as BackendSettings
        from backend.embedded import EmbeddedBackend

        # The embedded backend is the demo: dev mode, demo data, codes in the console.
        backend = EmbeddedBackend(BackendSettings(env="dev", data_dir=settings.data_dir)).start()
        api_url = backend.url
    ctx = build_context(settings, api_url, kiosk=args.kiosk)
    if settings.memory_probe_dir is not None:  # tests only; refused in production
        from app.memory_probe import MemoryProbe

        MemoryProbe(settings.memory_probe_dir, ctx).start()
    page_main = make_page_main(ctx, render_screens)
    print(f"Sunshine backend: {api_url}; data: {settings.data_dir}", flush=True)
    try:
        if use_web:
            overlay = prepare_web_overlay(LANGUAGE_TAGS[settings.language])
            os.environ["FLET_FORCE_WEB_SERVER"] = "1"  # serve only; never try to open a browser
            print(
                f"Sunshine is running at http://127.0.0.1:{args.port}/ — press Ctrl-C to stop.",
                flush=True,
            )
            ft.run(
                page_main,
                view=ft.AppView.WEB_BROWSER,
                host="127.0.0.1",
                port=args.port,
                assets_dir=str(overlay),
                no_cdn=True,
                web_renderer=ft.WebRenderer.CANVAS_KIT,
            )
        else:
            ft.run(page_main, view=ft.AppView.FLET_APP, assets_dir=str(ASSETS_DIR))
    finally:
        ctx.close()
        if backend is not None:
            backend.stop()
    print("Sunshine stopped.", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
