"""Typed dependencies shared by the routes.

A dependency that neither blocks nor touches the database is ``async``: FastAPI runs a plain
``def`` one in a worker thread, and each such hop costs a thread switch and, under load, a
wait for the interpreter lock (``bench/load.py``).
"""

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, TypeVar
from uuid import UUID

from fastapi import Depends, Header, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from backend import crud
from backend.core.clock import Clock
from backend.core.config import Settings
from backend.core.db import holds_connection, writer
from backend.core.group_commit import GroupCommit
from backend.core.problems import ProblemError
from backend.idempotency import (
    AFTER_EFFECT,
    IdempotencyContext,
    request_fingerprint,
    run_idempotent,
    user_scope,
)
from backend.models import Role, User
from backend.proxy import acting

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
J = TypeVar("J")


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One session (one transaction, hence one consistent snapshot) per request.

    Made on the event loop: a session touches the database only when first used, in the
    route's worker thread. Closing it gives its connection back, which waits on the database,
    so that goes to a worker thread, but only if a transaction is still open on one: most
    writes have committed, and a grouped sign-up never used it (``Change.run_together``).
    A plain generator switched threads twice, each ~0.2 ms of CPU under the interpreter lock.
    """
    factory = request.app.state.session_factory
    if request.method in SAFE_METHODS:
        session = factory()
    else:  # every transaction of this request, not just the first, takes the write lock
        session = factory(bind=writer(request.app.state.engine))
    try:
        yield session
    finally:
        if holds_connection(session):
            await run_in_threadpool(session.close)
        else:
            session.close()  # no database to wait for


SessionDep = Annotated[Session, Depends(get_session)]


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


async def get_clock(request: Request) -> Clock:
    """``app.state.clock``: the system clock, or a FakeClock a test put there."""
    return request.app.state.clock


ClockDep = Annotated[Clock, Depends(get_clock)]


async def get_client_address(request: Request) -> str:
    """The caller's IP address. Behind a reverse proxy uvicorn takes it from X-Forwarded-For
    when the proxy is trusted (``--forwarded-allow-ips``; see the README)."""
    return request.client.host if request.client else "unknown"


ClientAddressDep = Annotated[str, Depends(get_client_address)]


async def get_idempotency(
    request: Request,
    idempotency_key: Annotated[
        UUID | None,
        Header(
            alias="Idempotency-Key",
            description="UUID made when the user acted; a retry with it replays the first "
            "response instead of acting twice.",
        ),
    ] = None,
) -> IdempotencyContext:
    body = await request.body()  # cached by Starlette; the route's body parsing reuses it
    return IdempotencyContext(
        key=None if idempotency_key is None else str(idempotency_key),
        request_hash=request_fingerprint(
            request.method, request.url.path, body, request.headers.get("if-match")
        ),
    )


IdempotencyDep = Annotated[IdempotencyContext, Depends(get_idempotency)]

_bearer = HTTPBearer(auto_error=False, description="Access token from POST /auth/token.")
bearer_scheme = _bearer


def get_current_user(
    request: Request,
    session: SessionDep,
    clock: ClockDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    act_for: Annotated[
        str | None,
        Header(
            alias=acting.HEADER,
            description="A consent id (POST /proxy/consents): act for the resident who gave it. "
            "`404 consent_not_found` if it is not one of mine; `403 consent_withdrawn`, "
            "`consent_ended` or `consent_expired` once it is no longer active; `403 "
            "not_on_behalf` on a route a helper may not use for someone.",
        ),
    ] = None,
) -> User:
    """The user an unexpired, unrevoked access token belongs to; 401 ``unauthorized`` otherwise.

    With ``X-Act-For``, the resident whose consent the token's user holds
    (``backend.proxy.acting``); a change allowed then is recorded in its own transaction.
    """
    if credentials is None:
        raise ProblemError(
            401,
            "unauthorized",
            "Sign-in required",
            "Send Authorization: Bearer <access token>.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    user = _signed_in_user(request, session, credentials.credentials, clock())
    if user is None:
        raise ProblemError(
            401,
            "unauthorized",
            "Sign-in required",
            "The access token is invalid or expired; refresh it or sign in again.",
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    if act_for is not None:
        user = acting.resolve(request, session, user, act_for, clock())
        if request.method not in SAFE_METHODS:
            session.info.setdefault(AFTER_EFFECT, []).append(acting.record)
            # Resolving opened the request's write transaction, which holds SQLite's write
            # lock. Give it back before this dependency's worker thread returns: the route
            # runs in another one, and when every worker waits for the lock (many concurrent
            # writes) the holder could never get a thread to finish in. The route's first
            # query takes the lock again and reloads the user inside its own transaction.
            session.rollback()
    return user


def _signed_in_user(request: Request, session: Session, token: str, now: datetime) -> User | None:
    """The token's user, in ``session``. A change looks them up in a read transaction of its
    own: its session would take SQLite's write lock at its first query, and knowing who asks
    does not need it (200 people signing up at once queue for the lock once each, not twice)."""
    if request.method in SAFE_METHODS:
        return crud.user_for_access_token(session, token, now)
    with request.app.state.session_factory() as reader:
        user = crud.user_for_access_token(reader, token, now)
        return None if user is None else session.merge(user, load=False)


CurrentUserDep = Annotated[User, Depends(get_current_user)]


async def get_staff_user(user: CurrentUserDep) -> User:
    """The signed-in user, who must be staff at a service point; 403 ``forbidden`` otherwise."""
    if Role.STAFF.value not in user.roles:
        raise ProblemError(
            403, "forbidden", "Staff only", "Only staff at a service point can do this."
        )
    return user


StaffUserDep = Annotated[User, Depends(get_staff_user)]


@dataclass(frozen=True)
class Change:
    """A signed-in person's change: who makes it, in which session, at what time, under which
    idempotency key. ``run`` makes it at most once per key, in the person's own key scope."""

    user: User
    session: Session
    now: datetime
    idem: IdempotencyContext

    def run(self, effect: Callable[[], Response]) -> Response:
        return run_idempotent(self.session, self.idem, user_scope(self.user.id), self.now, effect)

    async def run_together(
        self,
        effect: Callable[[], Response],
        together: GroupCommit[str, J, Response],
        group: str,
        job: Callable[[str], J],
    ) -> Response:
        """``run``, or, when the change has a key, with the other changes for ``group`` that
        arrive meanwhile: ``job(scope)`` goes to ``together``, whose batch claims its key,
        makes it and stores its response in one transaction with the others
        (``backend.core.group_commit``). A change made for someone else runs alone: its
        record is written by the request's own session."""
        if self.idem.key is None or self.session.info.get(AFTER_EFFECT):
            return await run_in_threadpool(self.run, effect)
        return await together.submit(group, job(user_scope(self.user.id)))


async def get_change(
    user: CurrentUserDep, session: SessionDep, clock: ClockDep, idem: IdempotencyDep
) -> Change:
    return Change(user, session, clock(), idem)


async def get_staff_change(
    user: StaffUserDep, session: SessionDep, clock: ClockDep, idem: IdempotencyDep
) -> Change:
    """A change only staff may make: 403 before the key or the body is looked at."""
    return Change(user, session, clock(), idem)


ChangeDep = Annotated[Change, Depends(get_change)]
StaffChangeDep = Annotated[Change, Depends(get_staff_change)]
