"""What the trip request and volunteer registration forms hold while the person fills them in.

Plain data with sensible defaults taken from the person's profile (their phone, their district,
their home address among the places offered), so a blind resident who accepts the defaults only
has to say where they are going.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from services.clock import SHANGHAI, shanghai_day, utc_now
from services.errors import InputError
from services.trips.commands import TripDraft, VolunteerForm
from services.trips.time import default_start, parse_clock

DAYS_OFFERED = 7  # day buttons: today and the six days after it
TIME_STEP = timedelta(minutes=30)  # the earlier / later buttons
DEFAULT_NEEDS = ("sighted_guide",)


def offered_days(now: datetime) -> list[date]:
    """The days the form offers: today in Shanghai and the six after it, whatever the device's
    zone (on a UTC phone at 07:55 in Shanghai, "tomorrow" is still Shanghai's tomorrow)."""
    today = shanghai_day(now)
    return [today + timedelta(days=n) for n in range(DAYS_OFFERED)]


@dataclass
class TripForm:
    from_place: str = ""
    to_place: str = ""
    day: date = field(default_factory=lambda: shanghai_day(utc_now()))
    time_text: str = ""
    district: str = ""
    needs: set[str] = field(default_factory=lambda: set(DEFAULT_NEEDS))
    contact_phone: str = ""
    notes: str = ""
    event_id: str | None = None  # a guide to get to this event (an excused absence if none comes)
    said_time: str = ""  # the time text last said back in words (leaving the field again is quiet)

    @classmethod
    def for_person(cls, me: dict[str, Any] | None, now: datetime) -> TripForm:
        start = default_start(now).astimezone(SHANGHAI)
        me = me or {}
        return cls(
            day=start.date(),
            time_text=start.strftime("%H:%M"),
            district=str((me.get("facts") or {}).get("district") or ""),
            contact_phone=str(me.get("phone") or ""),
        )

    def draft(self) -> TripDraft:
        return TripDraft(
            from_place=self.from_place,
            to_place=self.to_place,
            day=self.day,
            time_text=self.time_text,
            district=self.district,
            needs=sorted(self.needs),
            contact_phone=self.contact_phone,
            notes=self.notes,
            event_id=self.event_id,
        )

    @classmethod
    def for_event(
        cls, me: dict[str, Any] | None, now: datetime, event_id: str, place: str, meet_at: datetime
    ) -> TripForm:
        """A guide to an event: to its place, meeting ``meet_at`` (before it starts)."""
        form = cls.for_person(me, now)
        local = meet_at.astimezone(SHANGHAI)
        form.to_place, form.event_id = place, event_id
        form.day, form.time_text = local.date(), local.strftime("%H:%M")
        return form

    def shift_time(self, step: timedelta, fallback: datetime) -> None:
        """Move the time by ``step``, crossing midnight into the next or previous day."""
        try:
            hours, minutes = parse_clock(self.time_text)  # read as the request will read it
            current = datetime(self.day.year, self.day.month, self.day.day, hours, minutes)
        except InputError:  # unreadable text: start from the default instead
            current = fallback.astimezone(SHANGHAI).replace(tzinfo=None)
        moved = current + step
        self.day, self.time_text = moved.date(), moved.strftime("%H:%M")


@dataclass
class VolunteerDraft:
    real_name: str = ""
    id_number: str = ""
    phone: str = ""
    skills: set[str] = field(default_factory=lambda: {"sighted_guide"})
    districts: set[str] = field(default_factory=set)
    availability: set[str] = field(default_factory=set)

    @classmethod
    def for_person(cls, me: dict[str, Any] | None) -> VolunteerDraft:
        me = me or {}
        district = (me.get("facts") or {}).get("district")
        return cls(
            real_name=str(me.get("name") or ""),
            phone=str(me.get("phone") or ""),
            districts={district} if district else set(),
        )

    def form(self) -> VolunteerForm:
        return VolunteerForm(
            real_name=self.real_name,
            id_number=self.id_number,
            phone=self.phone,
            skills=sorted(self.skills),
            districts=sorted(self.districts),
            availability=sorted(self.availability),
        )


def toggled(chosen: set[str], value: str) -> set[str]:
    return chosen - {value} if value in chosen else chosen | {value}


@dataclass(frozen=True)
class OpenTripFilter:
    """Which open trips a volunteer sees: by default, those they could do, where they help."""

    my_districts_only: bool = True
    within_days: int | None = 7
    fits_my_skills: bool = True
