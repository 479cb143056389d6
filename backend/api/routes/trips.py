"""Guided trips (助盲出行): residents ask, verified volunteers take them, first come first served.

The rules live in ``backend.trips`` (states, actions, present); these routes only read the
request, run the action idempotently and present the trip as the caller may see it.
"""

import uuid
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Query, Response
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from backend.api.deps import ChangeDep, ClockDep, CurrentUserDep, SessionDep
from backend.api.housekeeping import HOUSEKEEPING
from backend.core.on_behalf import on_behalf
from backend.core.problems import ProblemError, problem_responses
from backend.models import DISTRICT_CODE_PATTERN, User
from backend.trips import actions, crud
from backend.trips.models import Trip
from backend.trips.present import present, present_all, viewer_role
from backend.trips.states import TripAction, TripRole
from backend.trips.volunteers import verified_volunteer
from backend.trips.wire import RatingRequest, TripList, TripPublic, TripRequest, UtcDatetime

router = APIRouter(prefix="/trips", tags=["trips"], dependencies=HOUSEKEEPING)

TripId = Annotated[UUID, Path(description="The trip's UUID.")]

_ACTION_ERRORS = problem_responses(401, 403, 404, 409, 422, 500)


def _trip_json(
    session: Session, trip: Trip, user: User, role: TripRole, status: int = 200
) -> JSONResponse:
    body = present(session, trip, user.id, role).model_dump(mode="json")
    return JSONResponse(body, status_code=status)


@router.post(
    "",
    status_code=201,
    response_model=TripPublic,
    responses=problem_responses(401, 409, 422, 500),
    summary="Ask for a volunteer to go with me",
    description=(
        "`start_at` needs an offset and must be 15 minutes to 30 days ahead "
        "(`422 trip_time_too_soon` / `trip_time_too_far`). An `id` already used is "
        "`409 trip_exists` (a retry with the same Idempotency-Key is replayed instead)."
    ),
)
def request_trip(body: TripRequest, change: ChangeDep) -> Response:
    user, session, now, idem = change.user, change.session, change.now, change.idem
    trip_id = str(body.id or uuid.uuid4())

    def effect() -> Response:
        trip, role = actions.request_trip(session, user, body, trip_id, now, idem.key)
        return _trip_json(session, trip, user, role, status=201)

    return change.run(effect)


@router.get(
    "/mine",
    response_model=TripList,
    responses=problem_responses(401, 500),
    summary="Trips I asked for or go on as the volunteer",
    description="Newest start first, at most 200. A helper acting for me sees only the trips "
    "I asked for.",
)
def read_my_trips(user: CurrentUserDep, session: SessionDep) -> TripList:
    trips = crud.list_mine(session, user.id, requested_only=on_behalf(session))
    roles = [TripRole.RESIDENT if t.requester_id == user.id else TripRole.VOLUNTEER for t in trips]
    return TripList(items=present_all(session, trips, user.id, roles))


@router.get(
    "/open",
    response_model=TripList,
    responses=problem_responses(401, 403, 422, 500),
    summary="Open trips a volunteer can take",
    description=(
        "Verified volunteers only (`403 volunteer_not_verified`). Open trips still ahead, not "
        "my own, soonest first, at most 200."
    ),
)
def read_open_trips(
    user: CurrentUserDep,
    session: SessionDep,
    clock: ClockDep,
    district: Annotated[
        list[Annotated[str, Query(pattern=DISTRICT_CODE_PATTERN)]] | None,
        Query(description="Only these districts (repeat the parameter for several)."),
    ] = None,
    starts_after: Annotated[UtcDatetime | None, Query(description="With an offset.")] = None,
    starts_before: Annotated[UtcDatetime | None, Query(description="With an offset.")] = None,
    fits_my_skills: Annotated[
        bool, Query(description="Only trips whose needs are all among my skills.")
    ] = False,
) -> TripList:
    volunteer = verified_volunteer(session, user)
    filters = crud.OpenTripFilter(
        districts=tuple(district or ()),
        starts_after=starts_after,
        starts_before=starts_before,
        skills_mask=volunteer.skills_mask if fits_my_skills else None,
    )
    trips = crud.list_open(session, user.id, clock(), filters)
    return TripList(items=present_all(session, trips, user.id, [TripRole.BYSTANDER] * len(trips)))


@router.get(
    "/{trip_id}",
    response_model=TripPublic,
    responses=problem_responses(401, 404, 422, 500),
    summary="One trip",
    description=(
        "If I asked for it, am its volunteer, or it is open and I am a verified volunteer; "
        "otherwise `404 not_found`."
    ),
)
def read_trip(trip_id: TripId, user: CurrentUserDep, session: SessionDep) -> TripPublic:
    trip = crud.get_trip(session, str(trip_id))
    role = viewer_role(session, trip, user.id) if trip is not None else None
    if trip is None or role is None:
        raise ProblemError(404, "not_found", "Not Found", "No such trip.")
    return present(session, trip, user.id, role)


@router.post(
    "/{trip_id}/claim",
    response_model=TripPublic,
    responses=_ACTION_ERRORS,
    summary="Take a trip (first wins)",
    description=(
        "Verified volunteers (`403 volunteer_not_verified`). The first claim wins; the "
        "winner claiming again gets `200`. Otherwise `409`: `trip_taken`, `trip_cancelled`, "
        "`trip_expired`, `own_trip`, `skills_missing`."
    ),
)
def claim_trip(trip_id: TripId, change: ChangeDep) -> Response:
    user, session, now, idem = change.user, change.session, change.now, change.idem

    def effect() -> Response:
        trip, role = actions.claim(session, user, str(trip_id), now, idem.key)
        return _trip_json(session, trip, user, role)

    return change.run(effect)


def _transition_route(action: TripAction, summary: str, description: str) -> None:
    """POST /trips/{trip_id}/<action>: the same route for cancel, start, complete, release."""

    def route(trip_id: TripId, change: ChangeDep) -> Response:
        user, session, now, idem = change.user, change.session, change.now, change.idem

        def effect() -> Response:
            trip, role = actions.act(session, user, str(trip_id), action, now, idem.key)
            return _trip_json(session, trip, user, role)

        return change.run(effect)

    route.__name__ = f"{action.value}_trip"
    router.add_api_route(
        f"/{{trip_id}}/{action.value}",
        route,
        methods=["POST"],
        response_model=TripPublic,
        responses=_ACTION_ERRORS,
        summary=summary,
        description=description
        + " Repeating it once done answers `200`; anything else the state does not allow is "
        "`409 illegal_transition`; someone else's action is `403 forbidden`.",
    )


_transition_route(
    TripAction.CANCEL,
    "Cancel my trip",
    "The requester: open or claimed → cancelled; the volunteer on it is told (SMS too).",
)
_transition_route(
    TripAction.START,
    "Start the trip",
    "Its volunteer: claimed → in_progress; the requester is told.",
)
_transition_route(
    TripAction.COMPLETE,
    "Complete the trip",
    "Its volunteer: in_progress → completed; the requester is told.",
)
_transition_route(
    TripAction.RELEASE,
    "Give the trip back",
    "Its volunteer: claimed → open, without volunteer or code word; the requester is told "
    "(SMS too). If the start time has passed the trip expires at once.",
)


@router.post(
    "/{trip_id}/rate",
    response_model=TripPublic,
    responses=_ACTION_ERRORS,
    summary="Rate the other person on a completed trip",
    description=(
        "The requester rates the volunteer, the volunteer the requester; completed trips "
        "only (`409 illegal_transition`), once each (`409 already_rated`)."
    ),
)
def rate_trip(trip_id: TripId, body: RatingRequest, change: ChangeDep) -> Response:
    user, session, now, idem = change.user, change.session, change.now, change.idem

    def effect() -> Response:
        trip, role = actions.rate(session, user, str(trip_id), body, now, idem.key)
        return _trip_json(session, trip, user, role)

    return change.run(effect)
