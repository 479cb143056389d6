"""The feature list (app/features.py) is the one place a feature is registered: every route has a
screen in its feature's views package, every outbox kind is known once, and the shell's sentences
come from the feature that owns the action or message."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from importlib import import_module

import pytest

from app.features import FEATURES, OUTBOX_KINDS, notification_sentence, refusal_sentence
from app.routes import HOME
from services.sync.kinds import ActionKind, kinds_by_name
from services.sync.outbox import Rejection
from tests import paths
from views.screens import home_entries

REPO_ROOT = paths.REPO_ROOT
NOW = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)
GENERIC_REFUSAL = "One of your actions was not accepted and has been undone."


pytestmark = pytest.mark.usefixtures("english")


@pytest.mark.parametrize("feature", FEATURES, ids=[f.name for f in FEATURES])
def test_each_route_is_drawn_by_its_own_features_views(feature):
    screens = import_module(f"views.{feature.name}").SCREENS
    own = {route.identifier for route in feature.routes}
    assert set(screens) == own - {HOME.identifier}


@pytest.mark.parametrize("feature", FEATURES, ids=[f.name for f in FEATURES])
def test_each_home_entry_leads_to_its_own_features_screen(feature):
    entries = getattr(import_module(f"views.{feature.name}"), "HOME_ENTRIES", ())
    own = [route for route in feature.routes]
    for entry in entries:
        assert any(route.match(entry.route) is not None for route in own), entry


def test_the_home_lists_every_features_entries_once_in_their_places():
    entries = home_entries()
    assert len({e.identifier for e in entries}) == len({e.place for e in entries}) == len(entries)
    assert [e.place for e in entries] == sorted(e.place for e in entries)
    assert "nav-login" in {e.identifier for e in entries}


def test_feature_names_are_unique_and_each_has_an_app_package():
    names = [feature.name for feature in FEATURES]
    assert len(names) == len(set(names))
    for name in names:
        assert (REPO_ROOT / "app" / name / "__init__.py").is_file()


def test_an_outbox_kind_registered_twice_is_refused_at_start():
    kind = OUTBOX_KINDS["trip_cancel"]
    with pytest.raises(ValueError, match="trip_cancel"):
        kinds_by_name([kind, ActionKind(kind.name, kind.request, kind.overlay, kind.settle)])


def test_every_outbox_kind_has_its_own_refusal_sentence():
    for name in OUTBOX_KINDS:
        sentence = refusal_sentence(Rejection("a", name, {}, "some_code"))
        assert sentence != GENERIC_REFUSAL, name
    assert refusal_sentence(Rejection("a", "no_such_kind", {}, "x")) == GENERIC_REFUSAL


def test_a_message_no_feature_knows_gets_the_general_sentence():
    assert notification_sentence({"kind": "no_such_kind", "data": {}}, NOW) == (
        "You have a new message."
    )


@pytest.mark.parametrize("module", ["views/router.py", "app/shell.py", "app/routes.py"])
def test_the_wiring_names_no_feature(module: str):
    source = (REPO_ROOT / module).read_text(encoding="utf-8")
    assert not re.findall(r"screen-(?!home\b|not-found\b)[a-z-]+", source)
    assert not re.findall(
        r"\b(?:trip|event|proxy|account|inbox)_(?:rejection|notification)_sentence", source
    )
