"""Request and response shapes of /trips and /volunteers.

Bodies forbid unknown fields. Free text is stripped and must not be blank.
"""

from datetime import UTC, datetime, timedelta, timezone
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

from backend.core.id_number import normalise_id_number
from backend.core.security import normalise_phone
from backend.models import DISTRICT_CODE_PATTERN, PHONE_DESCRIPTION
from backend.trips.models import Availability, Skill, VolunteerStatus
from backend.trips.states import TripState

SHANGHAI = timezone(timedelta(hours=8))  # birth dates on ID numbers are local dates

DistrictCode = Annotated[
    str, StringConstraints(pattern=DISTRICT_CODE_PATTERN), Field(examples=["310101"])
]


def _to_utc(value: datetime) -> datetime:
    try:
        return value.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00+00:01 is valid ISO 8601 but before year 1 in UTC
        raise ValueError("date is out of range") from None


# An ISO 8601 date-time with an offset, converted to UTC.
UtcDatetime = Annotated[AwareDatetime, AfterValidator(_to_utc)]


def _unique(values: list[Any]) -> list[Any]:
    if len(set(values)) != len(values):
        raise ValueError("list items must be unique")
    return values


# Distinct values only: the schema says uniqueItems, the validator enforces it.
_UNIQUE = {"uniqueItems": True}

Skills = Annotated[
    list[Skill],
    Field(min_length=1, max_length=3, json_schema_extra=_UNIQUE),
    AfterValidator(_unique),
]
Districts = Annotated[
    list[DistrictCode],
    Field(min_length=1, max_length=16, json_schema_extra=_UNIQUE),
    AfterValidator(_unique),
]
AvailabilityList = Annotated[
    list[Availability],
    Field(min_length=1, max_length=3, json_schema_extra=_UNIQUE),
    AfterValidator(_unique),
]


def _phone_field(**kwargs: Any) -> Any:
    return Field(
        max_length=32,
        description=PHONE_DESCRIPTION,
        examples=["13800000001"],
        # As in the auth routes: documented, and refused by the validator with a sentence.
        json_schema_extra={"pattern": r"^(?:\+86)?[ -]?1[3-9](?:[ -]?[0-9]){9}$"},
        **kwargs,
    )


def _stripped(value: str) -> str:
    text = value.strip()
    if not text:
        raise ValueError("must not be blank")
    return text


# --- volunteers -------------------------------------------------------------------------------

ID_NUMBER_DESCRIPTION = (
    "Resident ID number (GB 11643): 17 digits and a check character (a digit or X; x is "
    "accepted). Characters 7-14 are the birth date; the check character must match."
)


class VolunteerRegistration(BaseModel):
    model_config = ConfigDict(extra="forbid")

    real_name: str = Field(min_length=1, max_length=32, examples=["李志愿"])
    id_number: str = Field(
        min_length=18,
        max_length=18,
        pattern=r"^[0-9]{17}[0-9Xx]$",
        description=ID_NUMBER_DESCRIPTION,
        examples=["310104199001011233"],
    )
    phone: str = _phone_field()
    skills: Skills
    districts: Districts
    availability: AvailabilityList

    @field_validator("real_name")
    @classmethod
    def _real_name(cls, value: str) -> str:
        return _stripped(value)

    @field_validator("id_number")
    @classmethod
    def _id_number(cls, value: str) -> str:
        return normalise_id_number(value, datetime.now(SHANGHAI).date())

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        return normalise_phone(value)


class VolunteerPublic(BaseModel):
    user_id: int
    real_name: str
    id_number: str = Field(description="Masked: first 3 and last 4 characters shown.")
    phone: str
    skills: list[Skill]
    districts: list[str]
    availability: list[Availability]
    status: VolunteerStatus
    created_at: datetime
    verified_at: datetime | None
    suspended_reason: str | None = Field(
        default=None, description="Why staff suspended the registration (status suspended)."
    )


# --- trips ------------------------------------------------------------------------------------


class SuspendRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(
        min_length=1, max_length=200, description="Said to the volunteer; kept on record."
    )


class TripRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: UUID | None = Field(
        default=None,
        description="The client's UUID for a trip asked for offline; the server makes one if absent.",
    )
    from_place: str = Field(min_length=1, max_length=100, examples=["黄浦区人民广场地铁站 1 号口"])
    to_place: str = Field(min_length=1, max_length=100, examples=["瑞金医院门诊楼"])
    start_at: UtcDatetime = Field(
        description="With an offset; at least 15 minutes and at most 30 days ahead.",
        examples=["2026-11-23T06:00:00Z"],
    )
    district: DistrictCode
    needs: Skills
    contact_phone: str = _phone_field()
    notes: str | None = Field(default=None, max_length=200)
    event_id: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$",
        description=(
            "The event this trip gets me to: I must be signed up for it (confirmed or "
            "waitlisted), else `409 not_signed_up`. If the volunteer gives the trip back or "
            "nobody claims it, my absence from the event is excused automatically."
        ),
    )

    @field_validator("from_place", "to_place")
    @classmethod
    def _place(cls, value: str) -> str:
        return _stripped(value)

    @field_validator("contact_phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        return normalise_phone(value)

    @field_validator("notes")
    @classmethod
    def _notes(cls, value: str | None) -> str | None:
        return (value.strip() or None) if value is not None else None


class RatingRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    stars: int = Field(ge=1, le=5, strict=True)  # 5, not "5" or true
    comment: str | None = Field(default=None, max_length=200)


class RatingPublic(BaseModel):
    stars: int
    comment: str | None


class VolunteerContact(BaseModel):
    name: str
    phone: str


class TripPublic(BaseModel):
    """A trip as the caller may see it; what is hidden from them is null."""

    id: str
    state: TripState
    my_role: Literal["resident", "volunteer"] | None = Field(
        description="null: an open trip seen by a volunteer who is not on it."
    )
    from_place: str
    to_place: str
    start_at: datetime
    district: str
    needs: list[Skill]
    notes: str | None
    resident_name: str | None = Field(description="To the requester and the volunteer on it.")
    contact_phone: str | None = Field(description="To the requester and the volunteer on it.")
    volunteer: VolunteerContact | None = Field(
        description="To the requester and the volunteer, while a volunteer is on the trip."
    )
    code_word: str | None = Field(
        description="The spoken pair (暗号), to the requester and the volunteer once claimed."
    )
    my_rating: RatingPublic | None
    rating_of_me: RatingPublic | None
    created_at: datetime
    updated_at: datetime
    claimed_at: datetime | None
    started_at: datetime | None
    completed_at: datetime | None
    cancelled_at: datetime | None
    event_id: str | None = Field(description="The event this trip is for; null for others.")
    version: int


class TripList(BaseModel):
    items: list[TripPublic]
