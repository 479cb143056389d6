"""Request and response shapes of /events, /door and /me/signups, /me/attendance.

Bodies forbid unknown fields; free text is stripped. Times are ISO 8601 with an offset on the
way in and UTC (``Z``) on the way out, as trips have them.
"""

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from backend.events.models import AppealState, Attendance, ExcuseReason, SignupState
from backend.trips.wire import DistrictCode, UtcDatetime

EVENT_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$"

Provision = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]


def _stripped(value: str) -> str:
    text = value.strip()
    if not text:
        raise ValueError("must not be blank")
    return text


def _note(value: str | None) -> str | None:
    return (value.strip() or None) if value is not None else None


# --- events ----------------------------------------------------------------------------------


class EventCreate(BaseModel):
    """A new event (staff). Deadlines default to the start; the district to the venue's."""

    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(
        default=None,
        pattern=EVENT_ID_PATTERN,
        description="Optional; a UUID is made when absent.",
    )
    title: str = Field(min_length=1, max_length=100, examples=["阳光之家手工编织小组"])
    summary: str = Field(min_length=1, max_length=1000)
    institution_id: str = Field(
        min_length=1, max_length=128, description="The venue: a catalogue institution's id."
    )
    room: str = Field(default="", max_length=100, examples=["二楼活动室"])
    district: DistrictCode | None = Field(
        default=None, description="6-digit district code; the venue's when absent."
    )
    start_at: UtcDatetime = Field(examples=["2026-11-23T06:00:00Z"])
    end_at: UtcDatetime = Field(description="After start_at.")
    capacity: int = Field(ge=1, le=10_000, strict=True)
    signup_deadline: UtcDatetime | None = Field(
        default=None, description="At most start_at (the default)."
    )
    cancel_deadline: UtcDatetime | None = Field(
        default=None, description="At most start_at (the default)."
    )
    provides: list[Provision] = Field(default_factory=list, max_length=20)

    @field_validator("title", "summary")
    @classmethod
    def _text(cls, value: str) -> str:
        return _stripped(value)

    @field_validator("room")
    @classmethod
    def _room(cls, value: str) -> str:
        return value.strip()

    @model_validator(mode="after")
    def _times(self) -> "EventCreate":
        if self.end_at <= self.start_at:
            raise ValueError("end_at must be after start_at")
        for name in ("signup_deadline", "cancel_deadline"):
            deadline = getattr(self, name)
            if deadline is not None and deadline > self.start_at:
                raise ValueError(f"{name} must not be after start_at")
        return self


class EventPublic(BaseModel):
    """What anyone may see of an event (the catalogue item of kind ``event``), with live counts."""

    id: str
    title: str
    summary: str
    institution_id: str
    room: str
    district: str
    start_at: datetime
    end_at: datetime
    capacity: int
    signup_deadline: datetime
    cancel_deadline: datetime
    provides: list[str]
    confirmed: int
    waitlisted: int
    places_left: int = Field(description="max(0, capacity - confirmed).")
    example_data: bool = False


class StaffEventPublic(EventPublic):
    event_code: str = Field(description="4 digits, read out or shown at the door. Staff only.")


# --- sign-ups --------------------------------------------------------------------------------


class SignupRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: UUID | None = Field(
        default=None, description="The client's UUID for the sign-up; made by the server if absent."
    )


class ExcuseRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Literal["health", "weather", "other"] = Field(
        description="escort_failed is recorded only automatically, when a guide trip fails."
    )
    note: str | None = Field(default=None, max_length=200)

    @field_validator("note")
    @classmethod
    def _note(cls, value: str | None) -> str | None:
        return _note(value)


class ExcusePublic(BaseModel):
    reason: ExcuseReason
    note: str | None
    auto: bool = Field(description="Recorded by the server (a failed escort), not the person.")
    at: datetime


class AppealPublic(BaseModel):
    reason: ExcuseReason
    text: str
    state: AppealState
    note: str | None = Field(description="Staff's answer.")
    at: datetime
    decided_at: datetime | None


class SignupPublic(BaseModel):
    """A person's own sign-up."""

    id: str
    event_id: str
    event_title: str
    start_at: datetime
    end_at: datetime
    state: SignupState
    waitlist_position: int | None = Field(description="1-based; null unless waitlisted.")
    personal_code: str = Field(description="6 digits, read aloud in groups of three.")
    checked_in_at: datetime | None
    attendance: Attendance | None
    excuse: ExcusePublic | None
    appeal: AppealPublic | None
    guide_trip_id: str | None
    created_at: datetime
    updated_at: datetime
    version: int


class SignupList(BaseModel):
    items: list[SignupPublic]


class AttendanceSummary(BaseModel):
    attended: int
    excused: int
    no_show: int
    appeals_pending: int


class AttendancePublic(BaseModel):
    items: list[SignupPublic] = Field(description="Ended, marked events; newest first.")
    summary: AttendanceSummary
    blocks_signup: bool = Field(
        description="Always false: the attendance record never stops anyone signing up."
    )


class AppealRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: ExcuseReason
    text: str = Field(min_length=1, max_length=500)

    @field_validator("text")
    @classmethod
    def _text(cls, value: str) -> str:
        return _stripped(value)


class AppealDecision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    accept: bool = Field(strict=True)
    note: str | None = Field(default=None, max_length=500)

    @field_validator("note")
    @classmethod
    def _note(cls, value: str | None) -> str | None:
        return _note(value)


# --- check-in and the door -------------------------------------------------------------------


class CheckinRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(
        min_length=1,
        max_length=200,
        description=(
            "The event's 4-digit code (checks in the caller), or, for staff, an attendee's "
            "6-digit personal code (spaces ignored) or the QR payload "
            "sunshine-checkin:<event_id>:<code>."
        ),
        examples=["1234"],
    )
    at: UtcDatetime | None = Field(
        default=None,
        description="When the person acted (an offline check-in sent later); now if absent, "
        "never later than now.",
    )


class AttendeeCheckinRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    at: UtcDatetime | None = Field(default=None, description="As in POST /events/{id}/checkin.")


class Counts(BaseModel):
    confirmed: int
    waitlisted: int
    checked_in: int


class CheckinPublic(BaseModel):
    signup_id: str
    event_id: str
    name: str
    state: SignupState
    checked_in_at: datetime | None
    attendance: Attendance | None
    already_checked_in: bool = Field(description="It was checked in before; the first time kept.")
    counts: Counts
    version: int


class Attendee(BaseModel):
    signup_id: str
    name: str
    phone_tail: str = Field(description="The last 4 digits of the phone.")
    personal_code: str
    state: SignupState
    waitlist_position: int | None
    checked_in_at: datetime | None
    attendance: Attendance | None
    excuse_reason: ExcuseReason | None
    version: int


class DoorEvent(BaseModel):
    event: EventPublic
    event_code: str
    counts: Counts
    attendees: list[Attendee] = Field(
        description="Confirmed first (by name), then waitlisted by position; no cancelled ones."
    )


class DoorList(BaseModel):
    items: list[DoorEvent]
