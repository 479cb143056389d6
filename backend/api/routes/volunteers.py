"""Volunteer registration (pending until verified; verified at once in dev mode) and staff
verification."""

from typing import Annotated

from fastapi import APIRouter, Path, Response
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from backend.api.deps import (
    ChangeDep,
    CurrentUserDep,
    SessionDep,
    SettingsDep,
    StaffChangeDep,
)
from backend.api.housekeeping import HOUSEKEEPING
from backend.core.problems import ProblemError, problem_responses
from backend.models import ROW_ID_MAX, User
from backend.staff import require_district
from backend.trips import volunteers
from backend.trips.models import Volunteer, VolunteerStatus
from backend.trips.wire import SuspendRequest, VolunteerPublic, VolunteerRegistration

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


VolunteerId = Annotated[int, Path(ge=1, le=ROW_ID_MAX, description="The volunteer's user id.")]


def _in_my_district(session: Session, staff: User, user_id: int) -> tuple[Volunteer, User]:
    """The registration, if it serves one of ``staff``'s districts (404 / 403 otherwise)."""
    volunteer = volunteers.get_volunteer(session, user_id)
    person = session.get(User, user_id)
    if volunteer is None or person is None:
        raise ProblemError(404, "not_found", "Not Found", "No such volunteer registration.")
    require_district(staff, volunteer.districts)
    return volunteer, person


@router.post(
    "/{user_id}/verify",
    response_model=VolunteerPublic,
    responses=problem_responses(401, 403, 404, 409, 422, 500),
    summary="Verify a volunteer (staff)",
    description=(
        "Staff in one of the volunteer's districts (`403 forbidden` / `403 not_your_district`); "
        "no such registration is `404 not_found`. Records who verified. Verifying a verified "
        "(or suspended) volunteer changes nothing and answers `200`."
    ),
)
def verify_volunteer(user_id: VolunteerId, change: StaffChangeDep) -> Response:
    user, session, now, idem = change.user, change.session, change.now, change.idem

    def effect() -> Response:
        volunteer, person = _in_my_district(session, user, user_id)
        volunteers.verify(session, volunteer, person, now, by=user, request_key=idem.key)
        session.flush()
        return _json(volunteer)

    return change.run(effect)


@router.post(
    "/{user_id}/suspend",
    response_model=VolunteerPublic,
    responses=problem_responses(401, 403, 404, 409, 422, 500),
    summary="Suspend a volunteer (staff)",
    description=(
        "Staff in one of the volunteer's districts. Status `suspended` with the `reason` "
        "(shown to the volunteer): claiming and starting trips answer `403 "
        "volunteer_suspended`; trips already held can still be completed or released. "
        "A pending registration cannot be suspended (`409 not_verified`: leave it unverified)."
    ),
)
def suspend_volunteer(
    user_id: VolunteerId, body: SuspendRequest, change: StaffChangeDep
) -> Response:
    user, session, now, idem = change.user, change.session, change.now, change.idem

    def effect() -> Response:
        volunteer, person = _in_my_district(session, user, user_id)
        if volunteer.status == VolunteerStatus.PENDING:
            raise ProblemError(
                409, "not_verified", "Not verified", "A pending registration cannot be suspended."
            )
        volunteers.suspend(
            session, volunteer, person, now, by=user, reason=body.reason, request_key=idem.key
        )
        session.flush()
        return _json(volunteer)

    return change.run(effect)


@router.post(
    "/{user_id}/reinstate",
    response_model=VolunteerPublic,
    responses=problem_responses(401, 403, 404, 409, 422, 500),
    summary="End a volunteer's suspension (staff)",
    description=(
        "Staff in one of the volunteer's districts. The volunteer is `verified` again (by this "
        "staff member); one not suspended is answered as it is."
    ),
)
def reinstate_volunteer(user_id: VolunteerId, change: StaffChangeDep) -> Response:
    user, session, now, idem = change.user, change.session, change.now, change.idem

    def effect() -> Response:
        volunteer, person = _in_my_district(session, user, user_id)
        if volunteer.status == VolunteerStatus.SUSPENDED:
            volunteers.reinstate(session, volunteer, person, now, by=user, request_key=idem.key)
            session.flush()
        return _json(volunteer)

    return change.run(effect)
