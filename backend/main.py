"""Application factory: wires settings, database, seed data, routes and error handling."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio.to_thread
from asgi_correlation_id import CorrelationIdMiddleware
from fastapi import FastAPI
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from backend import __version__, crud
from backend.api.main import API_V1, versioned_router
from backend.api.routes.events import signups_together
from backend.core.body_limit import BodyLimit
from backend.core.clock import Clock, settings_clock
from backend.core.config import Settings
from backend.core.db import create_db_engine, create_session_factory
from backend.core.key_checks import check_key_file
from backend.core.keys import KeyRing
from backend.core.logs import REQUEST_ID_HEADER
from backend.core.migrate import upgrade
from backend.core.problems import install_problems, problem_responses
from backend.demo_users import seed_demo_users
from backend.events.seed import seed_events
from backend.notify.sms import TextsWaiting, build_sms_provider
from backend.proxy.acting import HEADER as ACT_FOR_HEADER
from backend.seed import seed_catalog


def create_app(settings: Settings | None = None, *, db_url: str | None = None) -> FastAPI:
    """Build a ready app: tables exist, the feed has an epoch, an empty catalogue is seeded.

    ``settings`` defaults to the environment; ``db_url`` overrides its database.
    """
    settings = settings or Settings()
    if db_url is not None:
        settings = settings.model_copy(update={"db_url": db_url})

    keys = load_keys(settings)  # first: a production server without its keys never starts
    engine = create_db_engine(settings.db_url, keys)
    session_factory = create_session_factory(engine)
    clock = settings_clock(settings.test_now)
    try:
        _prepare_database(engine, session_factory, settings, clock)
    except BaseException:
        engine.dispose()
        raise

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.worker_threads
        yield
        app.state.sms.close()  # the gateway's connections
        engine.dispose()

    app = FastAPI(
        title="Sunshine reference backend",
        version=__version__,
        openapi_url=f"{API_V1}/openapi.json",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.keys = keys
    app.state.engine = engine
    app.state.session_factory = session_factory
    app.state.clock = clock  # tests swap in a backend.core.clock.FakeClock
    app.state.sms = build_sms_provider(settings)  # tests swap in a recorder
    app.state.texts_waiting = TextsWaiting(session_factory)
    app.state.signups_together = signups_together(session_factory, engine)
    install_problems(app)
    app.add_middleware(BodyLimit)  # 413 before any body is parsed, authorised or not
    # Outermost: every answer, a 413 or 500 included, carries the id its log lines carry.
    app.add_middleware(CorrelationIdMiddleware, header_name=REQUEST_ID_HEADER)
    _document_optional_parameters_without_null(app)
    _document_acting_problems(app)
    app.router.routes.extend(versioned_router.routes)
    return app


def _document_optional_parameters_without_null(app: FastAPI) -> None:
    """An optional query or header parameter is documented as its type, not "type or null".

    FastAPI renders ``X | None = None`` as ``anyOf: [X, null]``, which tells client generators
    and fuzzers that the literal text ``null`` is a valid Idempotency-Key, cursor or If-Match.
    On the wire a parameter is either sent or absent; ``required: false`` already says so.
    """
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = generate()
            for path_item in document.get("paths", {}).values():
                for operation in path_item.values():
                    for parameter in operation.get("parameters", []):
                        if not parameter.get("required"):
                            _drop_null_alternative(parameter.get("schema", {}))
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _document_acting_problems(app: FastAPI) -> None:
    """Every operation that takes ``X-Act-For`` may answer ``403`` (the consent stopped, or not
    on this route) and ``404 consent_not_found``: say so once here, not on each route."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = generate()
            acting_problems = problem_responses(403, 404)
            for path_item in document.get("paths", {}).values():
                for operation in path_item.values():
                    names = {p.get("name") for p in operation.get("parameters", [])}
                    if ACT_FOR_HEADER in names:
                        responses = operation.setdefault("responses", {})
                        for status, response in acting_problems.items():
                            responses.setdefault(str(status), response)
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _drop_null_alternative(schema: dict[str, Any]) -> None:
    alternatives = schema.get("anyOf", [])
    rest = [alt for alt in alternatives if alt != {"type": "null"}]
    if len(rest) == 1 and len(alternatives) == 2:
        del schema["anyOf"]
        schema.update(rest[0])


def _prepare_database(
    engine: Engine, session_factory: sessionmaker[Session], settings: Settings, clock: Clock
) -> None:
    """The schema (migrated to the newest revision), the feed's meta row, and in dev mode the
    demo catalogue, users and events on first start (events relative to now: the door demo
    is on today)."""
    upgrade(engine)
    with session_factory() as session:
        crud.ensure_meta(session)
        check_key_file(session)
        if (demo := settings.demo_seed_dir) is not None:
            seed_catalog(session, demo)
            seed_demo_users(session)
            seed_events(session, demo, clock())


def load_keys(settings: Settings) -> KeyRing:
    """Production reads the named key file; dev mode makes its own on first start."""
    if settings.env == "production":
        return KeyRing.load(settings.key_path)
    return KeyRing.load_or_create(settings.key_path)
