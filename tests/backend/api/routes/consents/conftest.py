"""Fixtures of the consent tests: a backend accepting the dev code, the frozen clock, a
recording SMS provider, the demo resident, a helper (a plain resident), staff and a volunteer."""

from typing import Any

import pytest
from consents_support import HELPER_PHONE, Person, create_event
from route_fixtures import (  # noqa: F401 (fixtures)
    aunt,
    dev_code_settings,
    person,
    recording_sms,
    staff,
    volunteer,
)


@pytest.fixture
def helper(person: Any) -> Person:
    """Her niece: a plain resident who acts for her."""
    return person(HELPER_PHONE)


@pytest.fixture
def event(staff: Person) -> dict[str, Any]:
    return create_event(staff)
