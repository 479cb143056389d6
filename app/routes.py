"""Every route the app has: the home, then each feature's (``app.features``), and which one a
path opens."""

from __future__ import annotations

from app.features import FEATURES
from app.i18n import N_, _
from app.registry import Route

HOME = Route("/", "screen-home", N_("Sunshine"))
ROUTES: tuple[Route, ...] = (HOME, *(route for feature in FEATURES for route in feature.routes))
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
    app_name = _(HOME.title)
    if route is HOME:
        return app_name
    return _("{screen} - {app}").format(screen=_(route.title), app=app_name)
