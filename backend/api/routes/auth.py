"""Sign-in with a phone number and a one-time code; access + refresh tokens.

Never logged: tokens, and codes outside dev mode. Phones in logs are masked.
"""

import json
import logging
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Header, Request, Response
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials

from backend import crud
from backend import sign_in_limits as limits
from backend.api.deps import (
    ClientAddressDep,
    ClockDep,
    IdempotencyDep,
    SessionDep,
    SettingsDep,
    bearer_scheme,
)
from backend.core.problems import ProblemError, problem_responses, retry_after
from backend.core.security import mask_phone
from backend.idempotency import StoredResponse, forget, run_idempotent
from backend.models import (
    CodeRequest,
    CodeSentPublic,
    LogoutRequest,
    RefreshRequest,
    TokenPairPublic,
    TokenRequest,
)
from backend.notify.notifications import sign_in_code_text
from backend.proxy import acting
from backend.proxy.errors import not_on_behalf
from backend.seed import begin_write

router = APIRouter(prefix="/auth", tags=["auth"])
logger = logging.getLogger(__name__)

ANONYMOUS_SCOPE = "anonymous"


def _invalid_token() -> ProblemError:
    return ProblemError(
        401,
        "invalid_token",
        "Invalid refresh token",
        "The refresh token is unknown, expired or already used; sign in again.",
        headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
    )


@router.post(
    "/code",
    status_code=202,
    response_model=CodeSentPublic,
    responses=problem_responses(409, 422, 429, 500, 503),
    summary="Send a one-time sign-in code",
    description=(
        "Sends a 6-digit code valid for 5 minutes by text message (in dev mode the server "
        "also logs it); codes sent earlier keep working until they expire. At most one code "
        "per phone every 30 s: `429 rate_limited` with Retry-After. At most 10 codes per "
        "phone and 100 per client address a day: `429 texts_used_up` with Retry-After. "
        "`503 sms_failed`: the gateway did not take the text; nothing was kept, ask again."
    ),
)
def send_code(
    body: CodeRequest,
    session: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    idem: IdempotencyDep,
    address: ClientAddressDep,
    request: Request,
) -> Response:
    now = clock()
    issued: list[tuple[str, int]] = []  # the code this request made (none when replayed)

    def effect() -> Response:
        wait = crud.code_resend_wait(session, body.phone, now)
        if wait is not None:
            raise ProblemError(
                429,
                "rate_limited",
                "Code requested too often",
                "Wait before asking for another code for this phone number.",
                headers=retry_after(wait),
            )
        limits.count_text(session, body.phone, address, now)
        code, row = crud.issue_code(session, body.phone, now)
        issued.append((code, row.id))
        if settings.env == "dev":
            logger.info("dev mode: sign-in code for %s is %s", mask_phone(body.phone), code)
        sent = CodeSentPublic(
            expires_in=int(crud.CODE_TTL.total_seconds()),
            resend_after=int(crud.CODE_RESEND_INTERVAL.total_seconds()),
        )
        return JSONResponse(sent.model_dump(mode="json"), status_code=202)

    response = run_idempotent(session, idem, ANONYMOUS_SCOPE, now, effect)
    for code, code_id in issued:
        # Sent once the code is committed, so no lock is held while the gateway answers. If it
        # refuses, the code and the stored answer go again: nothing is kept (no wait before
        # the next request) and the person can ask again at once.
        try:
            request.app.state.sms.send(body.phone, sign_in_code_text(code, crud.CODE_TTL))
        except Exception:
            logger.exception("the sign-in code text to %s failed", mask_phone(body.phone))
            begin_write(session)
            crud.withdraw_code(session, code_id)
            forget(session, ANONYMOUS_SCOPE, idem.key)
            session.commit()
            raise ProblemError(
                503,
                "sms_failed",
                "Text message not sent",
                "The code could not be sent by text message; please try again in a moment.",
            ) from None
    return response


def _token_response(access: str, refresh: str) -> JSONResponse:
    pair = TokenPairPublic(
        access_token=access,
        refresh_token=refresh,
        expires_in=int(crud.ACCESS_TTL.total_seconds()),
    )
    return JSONResponse(pair.model_dump(mode="json"), headers={"Cache-Control": "no-store"})


class _TokenGrant:
    """Token responses are never stored (no plain tokens at rest) and never replayed: the
    idempotency record keeps only the token family. The same request arriving twice comes
    from a client whose answer was lost or from someone holding a copy of it, and a second
    working pair would let a copy of a used refresh token (or of a sign-in) past the reuse
    check. So a replay ends the family and is refused: the person signs in again."""

    def __init__(
        self, session: SessionDep, now_fn: ClockDep, refusal: Callable[[], ProblemError]
    ) -> None:
        self.session = session
        self.now_fn = now_fn
        self.refusal = refusal
        self.family: str | None = None
        self.user_id: int | None = None

    def issue(self, user_id: int, family: str) -> JSONResponse:
        self.user_id, self.family = user_id, family
        access, refresh = crud.issue_tokens(self.session, user_id, family, self.now_fn())
        return _token_response(access, refresh)

    def store(self, _response: Response) -> bytes:
        return json.dumps({"user_id": self.user_id, "family": self.family}).encode()

    def replay(self, stored: StoredResponse) -> Response:
        crud.revoke_family(self.session, json.loads(stored.body)["family"])
        self.session.commit()
        logger.warning("token request replayed; token family revoked")
        raise self.refusal()


def _code_used() -> ProblemError:
    return ProblemError(
        401,
        "invalid_code",
        "Code already used",
        "This code has been used already; ask for a new code.",
    )


@router.post(
    "/token",
    response_model=TokenPairPublic,
    responses=problem_responses(401, 409, 422, 429, 500),
    summary="Exchange a one-time code for tokens",
    description=(
        "Creates the user (role resident) on first sign-in. `401 invalid_code`: wrong or "
        "expired code, with `tries_left` (wrong codes left before the lock) and `lockout_minutes`. "
        "After 5 wrong codes for one phone from one client address within 15 min, that "
        "address waits until 15 min after its first wrong code: `429 locked_out` with "
        "Retry-After, even for the right code (the phone's owner elsewhere is not locked "
        "out). After 20 wrong codes for a phone from anywhere, its codes stop working and a "
        "new one must be asked for. The same request again "
        "(same Idempotency-Key) is `401 invalid_code` and signs that sign-in out: a sign-in "
        "is never answered with tokens twice."
    ),
)
def create_token(
    body: TokenRequest,
    session: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    idem: IdempotencyDep,
    address: ClientAddressDep,
) -> Response:
    now = clock()
    grant = _TokenGrant(session, clock, _code_used)

    def effect() -> Response:
        guess = limits.count_guess(session, body.phone, address, now)
        if limits.guesses_used_up(guess):
            session.commit()  # counted, not judged
            raise limits.locked_out(guess, now)
        dev_code = settings.dev_login_code if settings.env == "dev" else None
        if not (crud.consume_code(session, body.phone, body.code, now) or dev_code == body.code):
            if limits.count_wrong_for_phone(session, body.phone, now):
                crud.forget_codes(session, body.phone)  # the guessers may have narrowed them
            session.commit()  # the wrong code counts even though the request fails
            logger.info("wrong sign-in code for %s", mask_phone(body.phone))
            if limits.tries_left(guess) == 0:
                raise limits.locked_out(guess, now)
            raise ProblemError(
                401,
                "invalid_code",
                "Wrong code",
                "The code is wrong or expired; check it or request a new one.",
                extra={
                    "tries_left": limits.tries_left(guess),
                    "lockout_minutes": int(limits.WRONG_CODE_WINDOW.total_seconds() // 60),
                },
            )
        limits.forget_guesses(session, body.phone, address)
        user = crud.get_or_create_user(session, body.phone)
        return grant.issue(user.id, crud.new_token_family())

    return run_idempotent(
        session, idem, ANONYMOUS_SCOPE, now, effect, store=grant.store, replay=grant.replay
    )


@router.post(
    "/refresh",
    response_model=TokenPairPublic,
    responses=problem_responses(401, 409, 422, 500),
    summary="Rotate a refresh token into a new token pair",
    description=(
        "Each refresh token works once. `401 invalid_token` for an unknown, expired or used "
        "one; presenting a used one again, also as a replay under the same Idempotency-Key, "
        "revokes every token descended from it."
    ),
)
def refresh_token(
    body: RefreshRequest, session: SessionDep, clock: ClockDep, idem: IdempotencyDep
) -> Response:
    now = clock()
    grant = _TokenGrant(session, clock, _invalid_token)

    def effect() -> Response:
        row = crud.find_token(session, body.refresh_token, "refresh")
        if row is None or row.revoked or row.expires_at <= now:
            raise _invalid_token()
        if row.used_at is not None:
            # Reuse of a rotated token: someone has a copy. End the whole chain.
            crud.revoke_family(session, row.family)
            session.commit()
            logger.warning("refresh token reuse detected; token family revoked")
            raise _invalid_token()
        row.used_at = now
        crud.revoke_unused(session, row.family, kind="access")
        return grant.issue(row.user_id, row.family)

    return run_idempotent(
        session, idem, ANONYMOUS_SCOPE, now, effect, store=grant.store, replay=grant.replay
    )


@router.post(
    "/logout",
    status_code=204,
    responses=problem_responses(401, 403, 422, 500),
    summary="Sign this session out",
    description=(
        "Revokes every token of one sign-in, named by the access token sent (Authorization) or, "
        "when that has expired, by its refresh token in the body; the device's other sign-ins "
        "stay. Calling it again is `401 unauthorized`. With X-Act-For: `403 not_on_behalf`."
    ),
)
def logout(
    session: SessionDep,
    clock: ClockDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    body: Annotated[LogoutRequest | None, Body()] = None,
    act_for: Annotated[
        str | None, Header(alias=acting.HEADER, description="Refused: `403 not_on_behalf`.")
    ] = None,
) -> Response:
    now = clock()
    access = (
        None if credentials is None else crud.find_token(session, credentials.credentials, "access")
    )
    refresh = None if body is None else crud.find_token(session, body.refresh_token, "refresh")
    live = [
        row
        for row in (access, refresh)
        if row is not None and not row.revoked and row.expires_at > now
    ]
    if not live:
        raise ProblemError(
            401,
            "unauthorized",
            "Sign-in required",
            "The tokens sent are invalid, expired or signed out already.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if act_for is not None:
        raise not_on_behalf()
    crud.revoke_family(session, live[0].family)
    session.commit()
    logger.info("signed out one session")
    return Response(status_code=204)
