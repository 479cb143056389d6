"""The ``/api/v1`` router: every resource router, mounted once."""

from fastapi import APIRouter

from backend.api.routes import (
    auth,
    catalog,
    consents,
    door,
    events,
    health,
    me,
    my_events,
    notifications,
    trips,
    volunteers,
)

api_router = APIRouter()
api_router.include_router(health.router)
api_router.include_router(catalog.router)
api_router.include_router(auth.router)
api_router.include_router(me.router)
api_router.include_router(notifications.router)
api_router.include_router(trips.router)
api_router.include_router(volunteers.router)
api_router.include_router(events.router)
api_router.include_router(door.router)
api_router.include_router(my_events.router)
api_router.include_router(consents.router)
