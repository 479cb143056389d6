"""Community events (阳光201): the public event, sign-up and cancel, excuses, check-in at the door,
and staff's creation, check-in by name, undo and appeal decisions.

The rules live in ``backend.events``; these routes read the request, run the action
idempotently (every write takes an Idempotency-Key) and present the answer.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Body, Path, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from backend.api.deps import ChangeDep, SessionDep, StaffChangeDep
from backend.api.housekeeping import HOUSEKEEPING
from backend.core.db import writer
from backend.core.group_commit import GroupCommit
from backend.core.problems import ProblemError, problem_responses
from backend.events import appeals, checkin, crud, errors, signups
from backend.events.models import Event, EventSignup
from backend.events.present import checkin_public, present
from backend.events.publish import create_event, public
from backend.events.wire import (
    EVENT_ID_PATTERN,
    AppealDecision,
    AttendeeCheckinRequest,
    CheckinPublic,
    CheckinRequest,
    EventCreate,
    EventPublic,
    ExcuseRequest,
    SignupPublic,
    SignupRequest,
    StaffEventPublic,
)
from backend.idempotency import IdempotencyContext, claim_within, finish, unclaim

router = APIRouter(prefix="/events", tags=["events"], dependencies=HOUSEKEEPING)

EventId = Annotated[str, Path(pattern=EVENT_ID_PATTERN, description="The event's id.")]
SignupId = Annotated[UUID, Path(description="The sign-up's UUID.")]

_WRITE_ERRORS = problem_responses(401, 403, 404, 409, 422, 500)


def _signup_json(
    session: Session,
    signup: EventSignup,
    event: Event,
    status: int = 200,
    position: int | None = None,
) -> JSONResponse:
    body = present(session, signup, event, position).model_dump(mode="json")
    return JSONResponse(body, status_code=status)


def _checkin_json(session: Session, checked: checkin.Checked) -> JSONResponse:
    signup, event, already = checked
    body = checkin_public(session, signup, event, already=already).model_dump(mode="json")
    return JSONResponse(body)


# --- public ------------------------------------------------------------------------------------


@router.get(
    "/{event_id}",
    response_model=EventPublic,
    responses=problem_responses(404, 422, 500),
    summary="One event, with live counts (no sign-in)",
    description="The catalogue item of kind `event` as it stands now. `404 not_found`.",
)
def read_event(event_id: EventId, session: SessionDep) -> EventPublic:
    event = crud.get_event(session, event_id)
    if event is None:
        raise errors.event_not_found()
    return public(session, event)


# --- residents ---------------------------------------------------------------------------------


@router.post(
    "/{event_id}/signups",
    status_code=201,
    response_model=SignupPublic,
    responses={
        200: {"model": SignupPublic, "description": "Already signed up: that sign-up."},
        **problem_responses(401, 404, 409, 422, 500),
    },
    summary="Sign up for an event",
    description=(
        "`201`: `confirmed` while places are left, else `waitlisted` with its 1-based "
        "`waitlist_position`; decided under a write lock, so places are never given twice. "
        "Already signed up (another Idempotency-Key, another device): `200` with that "
        "sign-up. After the sign-up deadline or the start: `409 signup_closed`. Signing up "
        "again after cancelling joins the end of the queue. The attendance record never "
        "blocks signing up."
    ),
)
async def sign_up(
    event_id: EventId,
    change: ChangeDep,
    request: Request,
    body: Annotated[SignupRequest | None, Body()] = None,
) -> Response:
    user, session, now, idem = change.user, change.session, change.now, change.idem
    signup_id = str((body.id if body is not None else None) or uuid.uuid4())

    def effect() -> Response:
        return _signed_up_json(
            session, signups.sign_up(session, user, event_id, signup_id, now, idem.key)
        )

    def job(scope: str) -> SignupJob:
        return SignupJob(signups.SignupAsk(user, signup_id, now, idem.key), scope, idem)

    return await change.run_together(effect, request.app.state.signups_together, event_id, job)


def _signed_up_json(session: Session, done: signups.SignedUp) -> JSONResponse:
    status = 201 if done.new else 200
    return _signup_json(session, done.signup, done.event, status, done.position)


@dataclass(frozen=True)
class SignupJob:
    """A sign-up waiting to be made with the others for its event, under its key."""

    ask: signups.SignupAsk
    scope: str
    idem: IdempotencyContext


def signups_together(
    session_factory: sessionmaker[Session], engine: Engine
) -> GroupCommit[str, SignupJob, Response]:
    """Sign-ups for one event arriving together, made in one transaction per batch, each with
    its key claimed and its response stored: what 200 people signing up at once queue for is
    one lock and one commit per batch, not two per person (``bench/events.py``)."""

    def run(event_id: str, jobs: Sequence[SignupJob]) -> list[Response | ProblemError]:
        with session_factory(bind=writer(engine)) as session:
            together = signups.SignupsTogether(session, event_id)
            outcomes = [_sign_up_within(session, together, job) for job in jobs]
            together.publish()
            session.commit()
            return outcomes

    return GroupCommit(run)


def _sign_up_within(
    session: Session, together: signups.SignupsTogether, job: SignupJob
) -> Response | ProblemError:
    """One sign-up of a batch, as ``Change.run`` makes it alone: claimed (or replayed, or
    refused for its key), made, and its response stored; a refusal changes nothing."""
    key = job.idem.key
    assert key is not None
    try:
        replayed = claim_within(session, job.scope, job.idem, job.ask.now)
    except ProblemError as refusal:
        return refusal
    if replayed is not None:
        return replayed
    try:
        user = session.merge(job.ask.user, load=False)
        done = together.sign_up(replace(job.ask, user=user))
    except ProblemError as refusal:
        unclaim(session, job.scope, key)
        return refusal
    response = _signed_up_json(session, done)
    finish(session, job.scope, key, response)
    return response


@router.delete(
    "/{event_id}/signups/me",
    response_model=SignupPublic,
    responses=_WRITE_ERRORS,
    summary="Cancel my sign-up",
    description=(
        "A confirmed place until the cancellation deadline (`409 cancel_closed` after, or once "
        "checked in: record an excuse instead); a waitlisted one until the start. The first "
        "waitlisted person gets the freed place and is told (SMS too). A guide trip still open "
        "or claimed for the event is cancelled too. Already cancelled: `200` as it is. Never "
        "signed up: `404 not_signed_up`."
    ),
)
def cancel_signup(event_id: EventId, change: ChangeDep) -> Response:
    user, session, now, idem = change.user, change.session, change.now, change.idem

    def effect() -> Response:
        signup, event = signups.cancel(session, user, event_id, now, idem.key)
        return _signup_json(session, signup, event)

    return change.run(effect)


@router.post(
    "/{event_id}/signups/me/excuse",
    response_model=SignupPublic,
    responses=_WRITE_ERRORS,
    summary="Say why I cannot come",
    description=(
        "`health`, `weather` or `other` (`escort_failed` is recorded only by the server, when "
        "a guide trip fails), replacing an earlier excuse. Until the event ends (`409 "
        "excuse_closed` after: appeal the record instead). Cancelled: `409 signup_cancelled`; "
        "never signed up: `404 not_signed_up`."
    ),
)
def record_excuse(event_id: EventId, body: ExcuseRequest, change: ChangeDep) -> Response:
    user, session, now, idem = change.user, change.session, change.now, change.idem

    def effect() -> Response:
        signup, event = signups.excuse(session, user, event_id, body, now, idem.key)
        return _signup_json(session, signup, event)

    return change.run(effect)


@router.post(
    "/{event_id}/checkin",
    response_model=CheckinPublic,
    responses=problem_responses(401, 403, 404, 409, 422, 429, 500),
    summary="Check in with a code",
    description=(
        "The event's 4-digit code checks in my own confirmed sign-up. Staff: an attendee's "
        "6-digit personal code (spaces ignored) or its QR payload "
        "`sunshine-checkin:<event_id>:<code>` checks that attendee in. Anything else: `422 "
        "code_wrong`; after 5 wrong codes for one event, `429 code_tries_used_up` (the staff "
        "at the door can still check the person in). The window runs from 60 minutes before "
        "the start to the end, by `at` (staff only: when the door acted, offline; now if "
        "absent, never later than now; a person's own `at` is ignored): `409 checkin_not_open` "
        "before, `409 checkin_closed` after; requests are accepted until 24 hours after the "
        "end. Already checked in: `200` with `already_checked_in: true`, the first time kept. "
        "`409 signup_waitlisted`, `409 signup_cancelled`, `404 not_signed_up`."
    ),
)
def check_in(event_id: EventId, body: CheckinRequest, change: ChangeDep) -> Response:
    user, session, now, idem = change.user, change.session, change.now, change.idem

    def effect() -> Response:
        return _checkin_json(
            session, checkin.check_in_by_code(session, user, event_id, body, now, idem.key)
        )

    return change.run(effect)


# --- staff -------------------------------------------------------------------------------------


@router.post(
    "",
    status_code=201,
    response_model=StaffEventPublic,
    responses=problem_responses(401, 403, 409, 422, 500),
    summary="Create an event (staff)",
    description=(
        "Staff only (`403 forbidden`), in their districts (`403 not_your_district`). Published into the catalogue at once (kind `event`, "
        "without its code). `422 validation_error`: end not after start, a deadline after the "
        "start, capacity below 1, or no such institution. An `id` in use: `409 event_exists`."
    ),
)
def create(body: EventCreate, change: StaffChangeDep) -> Response:
    user, session, now = change.user, change.session, change.now

    def effect() -> Response:
        event = create_event(session, body, created_by=user, now=now)
        shown = StaffEventPublic(**public(session, event).model_dump(), event_code=event.event_code)
        return JSONResponse(shown.model_dump(mode="json"), status_code=201)

    return change.run(effect)


@router.post(
    "/{event_id}/attendees/{signup_id}/checkin",
    response_model=CheckinPublic,
    responses=_WRITE_ERRORS,
    summary="Check an attendee in by name (staff)",
    description=(
        "Staff only (`403 forbidden`); the row staff picked from the door list. The same "
        "window and answers as POST /events/{event_id}/checkin; a sign-up not of this event "
        "is `404 not_found`."
    ),
)
def check_in_attendee(
    event_id: EventId,
    signup_id: SignupId,
    change: StaffChangeDep,
    body: Annotated[AttendeeCheckinRequest | None, Body()] = None,
) -> Response:
    user, session, now, idem = change.user, change.session, change.now, change.idem
    at = body.at if body is not None else None

    def effect() -> Response:
        checked = checkin.check_in_attendee(
            session, user, event_id, str(signup_id), at, now, idem.key
        )
        return _checkin_json(session, checked)

    return change.run(effect)


@router.delete(
    "/{event_id}/attendees/{signup_id}/checkin",
    response_model=CheckinPublic,
    responses=_WRITE_ERRORS,
    summary="Undo a check-in (staff)",
    description=(
        "Staff only (`403 forbidden`). Clears the check-in and its attendance (after the "
        "marking, the sign-up is marked again as not checked in). Not checked in: `200` as it "
        "is. Accepted until 24 hours after the end (`409 checkin_closed`)."
    ),
)
def undo_check_in(event_id: EventId, signup_id: SignupId, change: StaffChangeDep) -> Response:
    user, session, now, idem = change.user, change.session, change.now, change.idem

    def effect() -> Response:
        return _checkin_json(
            session, checkin.undo(session, user, event_id, str(signup_id), now, idem.key)
        )

    return change.run(effect)


@router.post(
    "/{event_id}/signups/{signup_id}/appeal/decision",
    response_model=SignupPublic,
    responses=_WRITE_ERRORS,
    summary="Decide an attendance appeal (staff)",
    description=(
        "Staff only (`403 forbidden`). Accepted: the no-show becomes `excused` for the "
        "appeal's reason; either way the person is told. Nothing pending: `409 no_appeal`."
    ),
)
def decide_appeal(
    event_id: EventId,
    signup_id: SignupId,
    body: AppealDecision,
    change: StaffChangeDep,
) -> Response:
    user, session, now, idem = change.user, change.session, change.now, change.idem

    def effect() -> Response:
        signup, event = appeals.decide(session, user, event_id, str(signup_id), body, now, idem.key)
        return _signup_json(session, signup, event)

    return change.run(effect)
