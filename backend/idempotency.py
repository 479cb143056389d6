"""Idempotency-Key: the first response to a mutating request is stored and replayed.

Semantics (DESIGN.md §3), for a key within one caller's scope (a user, or "anonymous" for
``/auth/*``):

* first use: the key is *claimed* (an ``in_progress`` row, committed at once so a concurrent
  duplicate sees it), then the route's effect runs and the record becomes ``done`` with the
  response (status, body, a few headers) **in the same transaction as the effect**: either both
  are committed or neither is;
* same key, same request (method, path, If-Match and canonical JSON body): the stored response
  is replayed with ``Idempotent-Replayed: true``, and the effect does not run again;
* same key, another request: ``422 idempotency_key_reused``;
* same key while the first request is still running: ``409 idempotency_in_progress`` (a claim
  older than ``STALE_AFTER`` belongs to a crashed request and is taken over);
* only successful (2xx) responses are stored. An error rolls the effect back and releases the
  key, so retrying with the same key runs the request again: nothing happened the first time.
* records live ``RETENTION`` (24 h): a lapsed one counts as absent and is purged by a sweep
  (``backend.api.housekeeping``), not by each request.

Routes use it by wrapping their effect::

    return run_idempotent(session, idem, scope, now, effect)

where ``effect()`` makes its changes in ``session`` without committing and returns the
Response. Changes made in batches (``backend.core.group_commit``) claim, act and ``finish`` in
the batch's one transaction (``claim_within``): a concurrent duplicate elsewhere waits for its
commit and then replays, and a duplicate later in the same batch replays at once. Not a
middleware: only routes that opt in are affected, and bodies are read once by
FastAPI (``IdempotencyDep`` hashes the cached body).
"""

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from fastapi import Response
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from backend.core.db import dialect_insert
from backend.core.problems import ProblemError
from backend.models import IdempotencyRecord

logger = logging.getLogger(__name__)

AFTER_EFFECT = "sunshine_after_effect"
"""``session.info`` key: callables ``(session, response)`` run after an effect succeeded (2xx),
inside its transaction and before the commit; one that raises undoes the effect (the record of
a change made on someone's behalf is written this way: ``backend.proxy.acting``)."""
HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
RETENTION = timedelta(hours=24)
STALE_AFTER = timedelta(minutes=2)
STORED_HEADERS = ("content-type", "etag", "location")


@dataclass(frozen=True)
class IdempotencyContext:
    """What a request brings: its key (None when absent) and the hash of what it asks."""

    key: str | None
    request_hash: str


@dataclass(frozen=True)
class StoredResponse:
    status: int
    body: bytes
    headers: dict[str, str]


def user_scope(user_id: int) -> str:
    """The scope a signed-in user's keys live in: theirs alone, whatever route they call."""
    return f"user:{user_id}"


def request_fingerprint(method: str, path: str, body: bytes, if_match: str | None) -> str:
    """sha256 over what makes two requests "the same"; JSON bodies compare by value."""
    try:
        canonical = json.dumps(
            json.loads(body), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode()
    except (ValueError, UnicodeDecodeError):
        canonical = body
    digest = hashlib.sha256()
    for part in (method.upper().encode(), path.encode(), (if_match or "").encode(), canonical):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def run_idempotent(
    session: Session,
    idem: IdempotencyContext,
    scope: str,
    now: datetime,
    effect: Callable[[], Response],
    *,
    store: Callable[[Response], bytes] | None = None,
    replay: Callable[[StoredResponse], Response] | None = None,
) -> Response:
    """Run ``effect`` at most once per key; see the module docstring.

    ``store`` picks the bytes to keep (default: the response body) and ``replay`` turns them
    back into a response (default: status, body and headers as stored) -- for responses that
    must not be kept verbatim, such as freshly minted tokens.
    """
    if idem.key is None:
        try:
            response = effect()
            _after_effect(session, response)
        except BaseException:
            session.rollback()
            raise
        session.commit()
        return response

    replayed = claim(session, scope, idem, now, replay)
    if replayed is not None:
        return replayed
    try:
        response = effect()
        _after_effect(session, response)
    except BaseException:
        session.rollback()
        release(session, scope, idem.key)
        raise
    finish(session, scope, idem.key, response, store)
    session.commit()  # the effect and its stored response, together
    return response


def claim(
    session: Session,
    scope: str,
    idem: IdempotencyContext,
    now: datetime,
    replay: Callable[[StoredResponse], Response] | None = None,
) -> Response | None:
    """Claim the key, committed at once so a concurrent duplicate sees it, for the caller to act
    and then ``finish`` or ``release``; or the stored response to replay (None when claimed);
    or raise (key reused, in progress)."""
    try:
        replayed = claim_within(session, scope, idem, now, replay)
    except BaseException:
        session.rollback()
        raise
    if replayed is None:
        _commit_keeping_loaded(session)
    else:
        session.rollback()  # read only
    return replayed


def claim_within(
    session: Session,
    scope: str,
    idem: IdempotencyContext,
    now: datetime,
    replay: Callable[[StoredResponse], Response] | None = None,
) -> Response | None:
    """``claim`` inside the caller's transaction, which then acts, ``finish``-es and commits
    (or undoes its claim with ``unclaim``): for changes made together in one transaction
    (``backend.core.group_commit``). A concurrent duplicate elsewhere waits for that commit."""
    assert idem.key is not None
    fresh = {
        "request_hash": idem.request_hash,
        "state": "in_progress",
        "started_at": now,
        "expires_at": now + RETENTION,
    }
    claimed = dialect_insert(session)(IdempotencyRecord).values(scope=scope, key=idem.key, **fresh)
    if session.scalar(claimed.on_conflict_do_nothing().returning(IdempotencyRecord.key)):
        return None  # (rowcount is no use here: psycopg reports -1 for this INSERT)
    record = session.get(IdempotencyRecord, (scope, idem.key), populate_existing=True)
    if record is None:  # released by its request between our two statements: it is retrying
        raise _in_progress()
    if record.expires_at > now:
        if record.request_hash != idem.request_hash:
            raise ProblemError(
                422,
                "idempotency_key_reused",
                "Idempotency key reused",
                "This Idempotency-Key was used for a different request; make a new key per action.",
            )
        if record.state == "done":
            stored = StoredResponse(record.status or 200, record.body or b"", record.headers or {})
            response = replay(stored) if replay is not None else _replay(stored)
            response.headers[REPLAYED_HEADER] = "true"
            return response
        if now - record.started_at < STALE_AFTER:
            raise _in_progress()
        logger.warning("taking over an abandoned idempotency claim")
    # A lapsed record (not yet purged) counts as absent; an abandoned claim is taken over.
    for name, value in {**fresh, "status": None, "body": None, "headers": None}.items():
        setattr(record, name, value)
    session.flush()
    return None


def finish(
    session: Session,
    scope: str,
    key: str,
    response: Response,
    store: Callable[[Response], bytes] | None = None,
) -> None:
    """Record the effect's response for the claimed key in ``session``'s transaction (the
    caller commits both): a success is stored to replay; anything else frees the key."""
    ours = (IdempotencyRecord.scope == scope, IdempotencyRecord.key == key)
    if 200 <= response.status_code < 300:
        finished = (
            update(IdempotencyRecord)
            .where(*ours)
            .values(
                state="done",
                status=response.status_code,
                body=store(response) if store is not None else bytes(response.body),
                headers={
                    name: response.headers[name]
                    for name in STORED_HEADERS
                    if name in response.headers
                },
            )
        )
    else:
        finished = delete(IdempotencyRecord).where(*ours)
    if session.execute(finished.execution_options(synchronize_session=False)).rowcount != 1:
        session.rollback()  # cannot happen unless someone deleted our claim
        raise ProblemError(409, "idempotency_in_progress", "Request in progress")


def _commit_keeping_loaded(session: Session) -> None:
    """Commit the claim without expiring what the session has loaded (the signed-in user, the
    record): the claim wrote nothing else, and the effect would read both again otherwise."""
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


def any_lapsed(session: Session, now: datetime) -> bool:
    """Whether ``purge_lapsed`` has anything to do (a cheap indexed read)."""
    lapsed = select(IdempotencyRecord.key).where(IdempotencyRecord.expires_at <= now).limit(1)
    return session.scalar(lapsed) is not None


def purge_lapsed(session: Session, now: datetime) -> int:
    """Delete records whose ``RETENTION`` has passed."""
    return session.execute(
        delete(IdempotencyRecord).where(IdempotencyRecord.expires_at <= now)
    ).rowcount


def _after_effect(session: Session, response: Response) -> None:
    if 200 <= response.status_code < 300:
        for hook in session.info.get(AFTER_EFFECT, ()):
            hook(session, response)


def _in_progress() -> ProblemError:
    return ProblemError(
        409,
        "idempotency_in_progress",
        "Request in progress",
        "A request with this Idempotency-Key is still being processed; retry shortly.",
        headers={"Retry-After": "1"},
    )


def release(session: Session, scope: str, key: str) -> None:
    """Free a claimed key whose effect failed (committed): a retry acts anew."""
    unclaim(session, scope, key)
    session.commit()


def unclaim(session: Session, scope: str, key: str) -> None:
    """``release`` in the caller's transaction."""
    session.execute(
        delete(IdempotencyRecord).where(
            IdempotencyRecord.scope == scope,
            IdempotencyRecord.key == key,
            IdempotencyRecord.state == "in_progress",
        )
    )


def forget(session: Session, scope: str, key: str | None) -> None:
    """Drop the stored answer to ``key``, so that a retry runs the request again (its effect
    was undone after the commit; the caller commits)."""
    if key is not None:
        session.execute(
            delete(IdempotencyRecord).where(
                IdempotencyRecord.scope == scope, IdempotencyRecord.key == key
            )
        )


def _replay(stored: StoredResponse) -> Response:
    headers = dict(stored.headers)
    media_type = headers.pop("content-type", None)
    return Response(
        content=stored.body, status_code=stored.status, headers=headers, media_type=media_type
    )
