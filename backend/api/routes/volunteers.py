"""Volunteer registration (pending until verified; verified at once in dev mode) and staff
verification."""

from typing import Annotated

from fastapi import APIRouter, Path, Response
from fastapi.responses import JSONResponse

from backend.api.deps import (
    ChangeDep,
    CurrentUserDep,
    SessionDep,
    SettingsDep,
    StaffChangeDep,
)
from backend.api.housekeeping import HOUSEKEEPING
from backend.core.problems import ProblemError, problem_responses
from backend.models import User
from backend.trips import volunteers
from backend.trips.models import Volunteer
from backend.trips.wire import VolunteerPublic, VolunteerRegistration

router = APIRouter(prefix="/volunteers", tags=["volunteers"], dependencies=HOUSEKEEPING)


def _json(volunteer: Volunteer, status: int = 200) -> JSONResponse:
    return JSONResponse(volunteers.public(volunteer).model_dump(mode="json"), status_code=status)


@router.post(
    "",
    status_code=201,
    response_model=VolunteerPublic,
    responses=problem_responses(401, 409, 422, 500),
    summary="Register as a volunteer",
    description=(
        "An ID number that fails the GB 11643 check is `422 validation_error` (loc "
        '`["body", "id_number"]`). Already registered: `409 volunteer_exists`. The '
        "registration is `pending` until staff verify it (`verified` at once where the server "
        "verifies automatically, as in dev mode)."
    ),
)
def register_volunteer(
    body: VolunteerRegistration,
    change: ChangeDep,
    settings: SettingsDep,
) -> Response:
    user, session, now, idem = change.user, change.session, change.now, change.idem

    def effect() -> Response:
        volunteer = volunteers.register(
            session,
            user,
            body,
            now,
            auto_verify=settings.volunteers_auto_verified,
            request_key=idem.key,
        )
        return _json(volunteer, status=201)

    return change.run(effect)


@router.get(
    "/me",
    response_model=VolunteerPublic,
    responses=problem_responses(401, 404, 500),
    summary="My volunteer registration",
    description="`404 not_registered` if I have not registered.",
)
def read_my_registration(user: CurrentUserDep, session: SessionDep) -> VolunteerPublic:
    volunteer = volunteers.get_volunteer(session, user.id)
    if volunteer is None:
        raise ProblemError(
            404, "not_registered", "Not registered", "You have not registered as a volunteer."
        )
    return volunteers.public(volunteer)


@router.post(
    "/{user_id}/verify",
    response_model=VolunteerPublic,
    responses=problem_responses(401, 403, 404, 409, 422, 500),
    summary="Verify a volunteer (staff)",
    description=(
        "Staff only (`403 forbidden`); no such registration is `404 not_found`. Verifying a "
        "verified volunteer changes nothing and answers `200`."
    ),
)
def verify_volunteer(
    user_id: Annotated[int, Path(ge=1, le=2**63 - 1)],
    change: StaffChangeDep,
) -> Response:
    user, session, now, idem = change.user, change.session, change.now, change.idem

    def effect() -> Response:
        volunteer = volunteers.get_volunteer(session, user_id)
        person = session.get(User, user_id)
        if volunteer is None or person is None:
            raise ProblemError(404, "not_found", "Not Found", "No such volunteer registration.")
        volunteers.verify(session, volunteer, person, now, by=user, request_key=idem.key)
        session.flush()
        return _json(volunteer)

    return change.run(effect)
