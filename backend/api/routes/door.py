"""Staff at the door: today's events with their code, counts and attendee list."""

from fastapi import APIRouter

from backend.api.deps import ClockDep, SessionDep, StaffUserDep
from backend.api.housekeeping import HOUSEKEEPING
from backend.core.problems import problem_responses
from backend.events.present import door_list
from backend.events.wire import DoorList

router = APIRouter(prefix="/door", tags=["events"], dependencies=HOUSEKEEPING)


@router.get(
    "/today",
    response_model=DoorList,
    responses=problem_responses(401, 403, 500),
    summary="Today's events at the door (staff)",
    description=(
        "Staff only (`403 forbidden`). Every event in the staff member's districts whose "
        "start falls on today's date in "
        "Shanghai (the server's clock), soonest first, with its event code, counts and "
        "attendees: confirmed (by name) then waitlisted (by position); cancelled ones left out."
    ),
)
def read_door(user: StaffUserDep, session: SessionDep, clock: ClockDep) -> DoorList:
    return DoorList(items=door_list(session, user, clock()))
