"""Fixtures of the /events tests: a backend accepting the dev code (volunteers verified at once,
as in dev mode), the frozen clock, a recording SMS provider, the people involved and an event."""

from typing import Any

import pytest
from events_support import STRANGER_PHONE, Person, create_event
from route_fixtures import (  # noqa: F401 (fixtures)
    aunt,
    dev_code_settings,
    person,
    recording_sms,
    staff,
    volunteer,
)


@pytest.fixture
def stranger(person: Any) -> Person:
    """A signed-in resident with no sign-ups."""
    return person(STRANGER_PHONE)


@pytest.fixture
def event(staff: Person) -> dict[str, Any]:
    """Tomorrow 16:00-18:00 Shanghai, 2 places; sign-up closes at 15:00, cancelling at 14:00."""
    return create_event(staff)
