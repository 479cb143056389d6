"""Acting on behalf (代办): a resident's one-time consent code, the helper redeeming it, the
consents each side sees, and ending them. The rules live in ``backend.proxy``; acting itself is
the ``X-Act-For`` header (``backend.proxy.acting``), which these routes refuse."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Body, Path, Response
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from backend.api.deps import ChangeDep, ClientAddressDep, ClockDep, CurrentUserDep, SessionDep
from backend.api.housekeeping import HOUSEKEEPING
from backend.core.problems import ProblemError, problem_responses
from backend.models import User
from backend.proxy import crud, errors, limits
from backend.proxy.models import Consent, ConsentState
from backend.proxy.present import present, present_all
from backend.proxy.wire import (
    ConsentCodePublic,
    ConsentCodeRequest,
    ConsentList,
    ConsentPublic,
    RedeemRequest,
)

router = APIRouter(tags=["consents"], dependencies=HOUSEKEEPING)

ConsentId = Annotated[str, Path(max_length=64, description="The consent's id.")]


def _consent_json(
    session: Session, consent: Consent, now: datetime, *, with_actions: bool, status: int = 200
) -> JSONResponse:
    body = present(session, consent, now, with_actions=with_actions).model_dump(mode="json")
    return JSONResponse(body, status_code=status)


@router.post(
    "/me/consent-codes",
    status_code=201,
    response_model=ConsentCodePublic,
    responses=problem_responses(401, 403, 409, 422, 500),
    summary="Make a one-time code that lets a helper act for me",
    description=(
        "8 digits, valid 10 minutes, usable once; making another one invalidates my earlier "
        "unused codes. `lasts`: the consent the code gives lasts 12 hours (`day`, the default) "
        "or 30 days (`month`) unless I withdraw it. A retry with the same Idempotency-Key "
        "answers the same code while it is still usable."
    ),
)
def create_consent_code(
    change: ChangeDep,
    body: Annotated[ConsentCodeRequest | None, Body()] = None,
) -> Response:
    user, session, now, idem = change.user, change.session, change.now, change.idem
    lasts = (body or ConsentCodeRequest()).lasts

    def effect() -> Response:
        code, row = crud.create_code(session, user, lasts, now, idem.key)
        shown = ConsentCodePublic(code=code, expires_at=row.expires_at, lasts=lasts)
        return JSONResponse(shown.model_dump(mode="json"), status_code=201)

    return change.run(effect)


@router.post(
    "/proxy/consents",
    status_code=201,
    response_model=ConsentPublic,
    responses=problem_responses(401, 403, 409, 422, 429, 500),
    summary="Redeem a resident's code: act for them from now on",
    description=(
        "The resident's phone number and their 8-digit code. Wrong, expired or used code, or "
        "one that is not this phone's: `409 consent_code_invalid`; my own code: `409 "
        "own_consent`. Each code is counted before it is judged: after 5 wrong codes within "
        "10 minutes, or 30 codes from one client address within an hour, `429 "
        "too_many_attempts` with Retry-After, even for a right code. After 300 wrong codes "
        "across the service within an hour, `429 redeeming_paused` for everyone (Retry-After: "
        "at most an hour). The consent is `pending`: the resident is asked (in the app and "
        "by SMS) to confirm it on their own device within 10 minutes. Then send `X-Act-For: "
        "<id>` to act for them once they confirm it (until then `state` is `pending` and acting is `403 "
        "consent_pending`)."
    ),
)
def redeem_consent(body: RedeemRequest, change: ChangeDep, address: ClientAddressDep) -> Response:
    user, session, now = change.user, change.session, change.now

    def effect() -> Response:
        limits.count_try(session, user.id, address, now)
        try:
            consent = crud.redeem(session, user, body.resident_phone, body.code, now)
        except ProblemError as exc:
            if exc.code == "consent_code_invalid":
                limits.count_wrong(session, now)
                session.commit()  # the wrong try counts even though the request fails
            raise
        limits.forget_helper(session, user.id)
        return _consent_json(session, consent, now, with_actions=False, status=201)

    return change.run(effect)


@router.get(
    "/proxy/consents",
    response_model=ConsentList,
    responses=problem_responses(401, 403, 500),
    summary="The residents I may act for now",
    description="My live consents (`pending` or `active`), newest first (`actions` is []).",
)
def read_helper_consents(user: CurrentUserDep, session: SessionDep, clock: ClockDep) -> ConsentList:
    now = clock()
    consents = crud.helper_consents(session, user, now)
    return ConsentList(items=present_all(session, consents, now, with_actions=False))


def _own(session: Session, consent_id: str, user: User, side: str) -> Consent:
    consent = crud.get_consent(session, consent_id)
    owner = None if consent is None else getattr(consent, f"{side}_id")
    if consent is None or owner != user.id:
        raise errors.consent_not_found()
    return consent


@router.post(
    "/proxy/consents/{consent_id}/end",
    response_model=ConsentPublic,
    responses=problem_responses(401, 403, 404, 409, 422, 500),
    summary="Stop acting for the resident (helper)",
    description=(
        "The consent becomes `ended`; one no longer active is answered as it is. Not mine: "
        "`404 consent_not_found`."
    ),
)
def end_consent(consent_id: ConsentId, change: ChangeDep) -> Response:
    user, session, now = change.user, change.session, change.now

    def effect() -> Response:
        consent = crud.end(
            session, _own(session, consent_id, user, "helper"), ConsentState.ENDED, now
        )
        return _consent_json(session, consent, now, with_actions=False)

    return change.run(effect)


@router.get(
    "/me/consents",
    response_model=ConsentList,
    responses=problem_responses(401, 403, 500),
    summary="Everyone I let act for me, and what they did",
    description="Every consent I granted, newest first, live or not, each with its `actions`.",
)
def read_my_consents(user: CurrentUserDep, session: SessionDep, clock: ClockDep) -> ConsentList:
    consents = crud.resident_consents(session, user)
    return ConsentList(items=present_all(session, consents, clock(), with_actions=True))


@router.post(
    "/me/consents/{consent_id}/confirm",
    response_model=ConsentPublic,
    responses=problem_responses(401, 403, 404, 409, 422, 500),
    summary="Confirm a consent a helper asked for (resident)",
    description=(
        "A `pending` consent becomes `active`: the helper may act for me from now, for 12 hours "
        "or 30 days as my code said, and is told. Confirming again is answered as it is; a "
        "consent withdrawn, ended or expired: `403 consent_<state>`. Not mine: `404 "
        "consent_not_found`."
    ),
)
def confirm_consent(consent_id: ConsentId, change: ChangeDep) -> Response:
    user, session, now = change.user, change.session, change.now

    def effect() -> Response:
        consent = crud.confirm(session, _own(session, consent_id, user, "resident"), now)
        return _consent_json(session, consent, now, with_actions=True)

    return change.run(effect)


@router.post(
    "/me/consents/{consent_id}/withdraw",
    response_model=ConsentPublic,
    responses=problem_responses(401, 403, 404, 409, 422, 500),
    summary="Withdraw a consent (resident)",
    description=(
        "The helper can no longer act for me (`403 consent_withdrawn`); a `pending` one is "
        "refused this way. Withdrawing again, or a consent that ended or expired, is answered "
        "as it is. Not mine: `404 "
        "consent_not_found`."
    ),
)
def withdraw_consent(consent_id: ConsentId, change: ChangeDep) -> Response:
    user, session, now = change.user, change.session, change.now

    def effect() -> Response:
        consent = _own(session, consent_id, user, "resident")
        crud.end(session, consent, ConsentState.WITHDRAWN, now)
        return _consent_json(session, consent, now, with_actions=True)

    return change.run(effect)
