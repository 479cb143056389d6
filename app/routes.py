"""Every route the app has, its screen identifier (DESIGN.md §6) and its title.

Screens that a later issue builds carry ``pending``: one honest line saying so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.i18n import N_, _


@dataclass(frozen=True)
class Route:
    pattern: str
    identifier: str
    title: str  # msgid; a screen may replace it with a record's name
    pending: str | None = None  # msgid of the "being built" line, if the screen is not built

    def match(self, path: str) -> dict[str, str] | None:
        regex = "^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", self.pattern) + "$"
        found = re.match(regex, path)
        return None if found is None else found.groupdict()


ROUTES: tuple[Route, ...] = (
    Route("/", "screen-home", N_("Sunshine")),
    Route("/home/customise", "screen-customise", N_("Customise the home screen")),
    Route("/search", "screen-search", N_("Search services")),
    Route("/service/{id}", "screen-service", N_("Service")),
    Route("/policy/{id}", "screen-policy", N_("Policy")),
    Route("/institution/{id}", "screen-institution", N_("Institution")),
    Route("/matching", "screen-matching", N_("What I can get")),
    Route("/trips/new", "screen-trip-new", N_("Ask for a travel guide")),
    Route("/trips", "screen-trips", N_("My trips")),
    Route("/volunteer", "screen-volunteer", N_("Volunteers")),
    Route("/notifications", "screen-notifications", N_("Messages")),
    Route("/events/record", "screen-attendance", N_("My attendance record")),
    Route("/events", "screen-events", N_("Events")),
    Route("/event/{id}", "screen-event", N_("Event")),
    Route("/door", "screen-door", N_("Check-in at the door")),
    Route("/settings", "screen-settings", N_("Settings")),
    Route("/login", "screen-login", N_("Sign in")),
    Route("/profile", "screen-profile", N_("My profile")),
    Route("/inbox", "screen-inbox", N_("Policies for you")),
    Route("/consent", "screen-consent", N_("Acting for me")),
    Route("/act-for", "screen-act-for", N_("Act for someone")),
    Route("/district/{code}", "screen-district", N_("District services")),
)

NOT_FOUND = Route("", "screen-not-found", N_("Page not found"))


def resolve(path: str) -> tuple[Route, dict[str, str]]:
    """The route for a path (query string ignored), or NOT_FOUND."""
    path = path.split("?", 1)[0] or "/"
    for route in ROUTES:
        params = route.match(path)
        if params is not None:
            return route, params
    return NOT_FOUND, {}


def window_title(path: str) -> str:
    """The browser tab's (and window's) title for a path: "请求助盲出行 - 阳光申办", so a screen
    reader and the tab list say which screen is open; the home is just the app's name."""
    route, _params = resolve(path)
    app_name = _(ROUTES[0].title)
    if route is ROUTES[0]:
        return app_name
    return _("{screen} - {app}").format(screen=_(route.title), app=app_name)
