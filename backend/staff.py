"""Where a staff member's powers reach: the districts they were given (``User.staff_districts``).

Every staff route checks the district of what it touches (an event's, a volunteer's) here, so a
clerk in 黄浦区 cannot create, run or decide anything in 浦东新区. Out of scope is ``403
not_your_district``: the thing exists and is public, only the power is missing.
"""

import re
from collections.abc import Iterable

from sqlalchemy.orm import Session

from backend import crud
from backend.core.problems import ProblemError
from backend.models import DISTRICT_CODE_PATTERN, Role, User

DISTRICT_CODE = re.compile(DISTRICT_CODE_PATTERN)


def is_staff(user: User) -> bool:
    return Role.STAFF.value in user.roles


def districts_of(user: User) -> set[str]:
    return set(user.staff_districts or []) if is_staff(user) else set()


def runs(user: User, district: str) -> bool:
    """Whether ``user`` is staff in ``district``."""
    return district in districts_of(user)


def require_district(user: User, districts: str | Iterable[str]) -> None:
    """403 unless ``user`` is staff in (one of) ``districts``."""
    wanted = {districts} if isinstance(districts, str) else set(districts)
    if not wanted & districts_of(user):
        raise ProblemError(
            403,
            "not_your_district",
            "Not your district",
            "This belongs to a district you are not staff in.",
        )


def appoint(session: Session, phone: str, districts: list[str]) -> User:
    """Make the person with ``phone`` staff in exactly ``districts`` (an empty list: no longer
    staff). They need not have signed in yet. The caller commits."""
    user = crud.get_or_create_user(session, phone)
    others = [role for role in user.roles if role != Role.STAFF.value]
    user.roles = [*others, Role.STAFF.value] if districts else others
    user.staff_districts = sorted(set(districts)) or None
    user.version += 1
    return user
