"""My sign-ups and my attendance record (with appeals). Only ever the caller's own."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Response
from fastapi.responses import JSONResponse

from backend.api.deps import ChangeDep, CurrentUserDep, SessionDep
from backend.api.housekeeping import HOUSEKEEPING
from backend.core.problems import problem_responses
from backend.events import appeals, crud
from backend.events.present import present, present_all
from backend.events.wire import AppealRequest, AttendancePublic, SignupList, SignupPublic

router = APIRouter(prefix="/me", tags=["me"], dependencies=HOUSEKEEPING)


@router.get(
    "/signups",
    response_model=SignupList,
    responses=problem_responses(401, 500),
    summary="My event sign-ups",
    description="All of them, cancelled ones too; soonest event first.",
)
def read_my_signups(user: CurrentUserDep, session: SessionDep) -> SignupList:
    return SignupList(items=present_all(session, crud.signups_of_user(session, user.id)))


@router.get(
    "/attendance",
    response_model=AttendancePublic,
    responses=problem_responses(401, 500),
    summary="My attendance record",
    description=(
        "Events that have ended and were marked (attended, excused, no-show), newest first, "
        "with a summary. The record never blocks signing up: `blocks_signup` is always false."
    ),
)
def read_my_attendance(user: CurrentUserDep, session: SessionDep) -> AttendancePublic:
    return appeals.attendance(session, user)


@router.post(
    "/attendance/{signup_id}/appeal",
    response_model=SignupPublic,
    responses=problem_responses(401, 404, 409, 422, 500),
    summary="Appeal a no-show",
    description=(
        "Only a `no_show` (`409 not_no_show`), once (`409 appeal_exists`); someone else's "
        "sign-up is `404 not_found`. Staff decide; an accepted appeal makes it `excused`."
    ),
)
def appeal(
    signup_id: Annotated[UUID, Path(description="The sign-up's UUID.")],
    body: AppealRequest,
    change: ChangeDep,
) -> Response:
    user, session, now, idem = change.user, change.session, change.now, change.idem

    def effect() -> Response:
        signup, event = appeals.appeal(session, user, str(signup_id), body, now, idem.key)
        return JSONResponse(present(session, signup, event).model_dump(mode="json"))

    return change.run(effect)
