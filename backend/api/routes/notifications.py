"""My notifications (in-app inbox): what happened to my trips and my volunteer registration."""

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

from backend.api.deps import ChangeDep
from backend.api.housekeeping import HOUSEKEEPING
from backend.api.own_lists import add_own_list_route
from backend.core.problems import problem_responses
from backend.notify import notifications
from backend.notify.models import (
    NotificationList,
    NotificationPublic,
    NotificationsRead,
    UnreadPublic,
)

router = APIRouter(prefix="/me", tags=["me"], dependencies=HOUSEKEEPING)


add_own_list_route(
    router,
    "/notifications",
    "read_notifications",
    NotificationList,
    notifications.list_for,
    NotificationPublic.model_validate,
    "My notifications, newest first",
    "At most 100.",
)


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
