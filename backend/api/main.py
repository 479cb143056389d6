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

API_V1 = "/api/v1"
# What every app mounts: ``api_router`` at /api/v1, included once per process. FastAPI builds
# each route's dependency tree per include, on an app's first request; the test suite builds
# an app per test and paid that again each time (about a tenth of a backend test's CPU). No
# app overrides dependencies (``app.dependency_overrides`` is not consulted through it).
versioned_router = APIRouter()
versioned_router.include_router(api_router, prefix=API_V1)
