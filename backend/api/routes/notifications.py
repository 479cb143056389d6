"""My notifications (in-app inbox): what happened to my trips and my volunteer registration."""

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

from backend.api.deps import ChangeDep, CurrentUserDep, SessionDep
from backend.api.housekeeping import HOUSEKEEPING
from backend.core.problems import problem_responses
from backend.notify import notifications
from backend.notify.models import (
    NotificationList,
    NotificationPublic,
    NotificationsRead,
    UnreadPublic,
)

router = APIRouter(prefix="/me", tags=["me"], dependencies=HOUSEKEEPING)


@router.get(
    "/notifications",
    response_model=NotificationList,
    responses=problem_responses(401, 500),
    summary="My notifications, newest first",
    description="At most 100.",
)
def read_notifications(user: CurrentUserDep, session: SessionDep) -> NotificationList:
    rows = notifications.list_for(session, user.id)
    return NotificationList(items=[NotificationPublic.model_validate(r) for r in rows])


@router.post(
    "/notifications/read",
    response_model=UnreadPublic,
    responses=problem_responses(401, 409, 422, 500),
    summary="Mark my notifications read up to an id",
    description="Marks mine with id <= `up_to_id` read; answers how many stay unread.",
)
def mark_notifications_read(body: NotificationsRead, change: ChangeDep) -> Response:
    user, session, now = change.user, change.session, change.now

    def effect() -> Response:
        unread = notifications.mark_read(session, user.id, body.up_to_id, now)
        return JSONResponse(UnreadPublic(unread=unread).model_dump(mode="json"))

    return change.run(effect)
