"""The route table (app/routes.py): DESIGN.md §6 identifiers, path parameters, translated titles."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po

from app.routes import NOT_FOUND, ROUTES, resolve
from tests import paths

REPO_ROOT = paths.REPO_ROOT
ZH_CN_PO = REPO_ROOT / "assets" / "locales" / "zh_CN" / "LC_MESSAGES" / "sunshine.po"

DESIGN_SCREENS = (
    "screen-home",
    "screen-search",
    "screen-service",
    "screen-matching",
    "screen-trip-new",
    "screen-trips",
    "screen-volunteer",
    "screen-events",
    "screen-settings",
    "screen-login",
    "screen-profile",
)


def test_route_identifiers_are_unique():
    identifiers = [route.identifier for route in ROUTES]
    duplicates = sorted({i for i in identifiers if identifiers.count(i) > 1})
    assert not duplicates


def test_route_patterns_are_unique():
    patterns = [route.pattern for route in ROUTES]
    assert len(patterns) == len(set(patterns))


@pytest.mark.parametrize("identifier", DESIGN_SCREENS)
def test_every_design_screen_has_a_route(identifier: str):
    assert identifier in {route.identifier for route in ROUTES}


def test_not_found_is_not_a_routable_screen():
    assert NOT_FOUND not in ROUTES
    assert NOT_FOUND.identifier not in {route.identifier for route in ROUTES}


@pytest.mark.parametrize(
    ("path", "identifier", "params"),
    [
        ("/", "screen-home", {}),
        ("", "screen-home", {}),
        ("/search", "screen-search", {}),
        ("/service/svc-x", "screen-service", {"id": "svc-x"}),
        ("/district/310101", "screen-district", {"code": "310101"}),
        ("/trips/new", "screen-trip-new", {}),
        ("/trips", "screen-trips", {}),
        ("/settings", "screen-settings", {}),
        ("/events", "screen-events", {}),
        ("/events/record", "screen-attendance", {}),
        ("/event/evt-1", "screen-event", {"id": "evt-1"}),
        ("/door", "screen-door", {}),
    ],
)
def test_resolve_finds_the_screen_and_its_parameters(path, identifier, params):
    route, found = resolve(path)
    assert (route.identifier, found) == (identifier, params)


@pytest.mark.parametrize(
    ("path", "identifier", "params"),
    [
        ("/?lang=en", "screen-home", {}),
        ("/search?q=残疾人证", "screen-search", {}),
        ("/service/svc-x?from=home", "screen-service", {"id": "svc-x"}),
        ("/trips/new?x=1", "screen-trip-new", {}),
    ],
)
def test_resolve_ignores_the_query_string(path, identifier, params):
    route, found = resolve(path)
    assert (route.identifier, found) == (identifier, params)


@pytest.mark.parametrize(
    "path",
    ["/nowhere", "/service", "/service/", "/service/a/b", "/trips/new/extra", "/Search", "search"],
)
def test_unknown_paths_resolve_to_not_found(path: str):
    assert resolve(path) == (NOT_FOUND, {})


def test_every_route_title_is_in_the_zh_cn_catalogue():
    with ZH_CN_PO.open("rb") as fp:
        msgids = {message.id for message in read_po(fp, locale="zh_CN") if message.id}
    missing = [
        f"{route.identifier}.title: {route.title!r}"
        for route in (*ROUTES, NOT_FOUND)
        if route.title not in msgids
    ]
    assert not missing, "not in the zh_CN catalogue (run `make i18n`):\n" + "\n".join(missing)
