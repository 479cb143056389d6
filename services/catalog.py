"""Typed read models over the local catalogue, for the app to show."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict
from pypinyin import lazy_pinyin

from services.sync.store import LocalStore


class CatalogRecord(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    id: str
    example_data: bool = False
    # Fields not yet checked against an official source (assets/seed/README.md).
    example_fields: tuple[str, ...] = ()


class District(CatalogRecord):
    code: str
    name: str
    order: int = 0


class ServiceItem(CatalogRecord):
    name: str
    category: str = ""
    description: str = ""
    common: bool = False
    popularity: int = 0
    materials: tuple[str, ...] = ()
    steps: tuple[str, ...] = ()
    where: str = ""
    how: str = ""
    institution_ids: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()


class Institution(CatalogRecord):
    name: str
    district: str = ""
    address: str = ""
    phone: str = ""
    hours: str = ""
    kind: str = ""
    accessibility: tuple[str, ...] = ()
    service_ids: tuple[str, ...] = ()


class Policy(CatalogRecord):
    title: str
    issuer: str = ""
    date: str = ""  # ISO YYYY-MM-DD: promulgation or latest revision
    doc_number: str | None = None
    summary: str = ""
    keywords: tuple[str, ...] = ()
    related_service_ids: tuple[str, ...] = ()


class Event(CatalogRecord):
    """A community event as the catalogue publishes it: the public projection, live counts as
    fresh as the last sync, never the event's secret door code. Times are aware (UTC)."""

    title: str
    summary: str = ""
    institution_id: str = ""  # the venue: its name, address and accessibility are the place's
    room: str = ""
    district: str = ""
    start_at: datetime
    end_at: datetime
    capacity: int = 0
    signup_deadline: datetime
    cancel_deadline: datetime
    provides: tuple[str, ...] = ()
    confirmed: int = 0
    waitlisted: int = 0
    places_left: int = 0


class Catalog:
    """What the screens read; always from the local store, so it works offline."""

    def __init__(self, store: LocalStore) -> None:
        self.store = store

    def districts(self) -> list[District]:
        districts = [District.model_validate(d) for d in self.store.items("district")]
        return sorted(districts, key=lambda d: (d.order, d.code))

    def common_services(self, limit: int = 8) -> list[ServiceItem]:
        services = [ServiceItem.model_validate(s) for s in self.store.items("service")]
        common = [s for s in services if s.common] or services
        return sorted(common, key=lambda s: (-s.popularity, s.id))[:limit]

    def service(self, service_id: str) -> ServiceItem | None:
        data = self.store.item("service", service_id)
        return None if data is None else ServiceItem.model_validate(data)

    def services_for(self, ids: Iterable[str]) -> list[ServiceItem]:
        """The services with these ids, in the order given; ids not saved here are skipped."""
        found = (self.store.item("service", i) for i in ids)
        return [ServiceItem.model_validate(data) for data in found if data is not None]

    def policy(self, policy_id: str) -> Policy | None:
        data = self.store.item("policy", policy_id)
        return None if data is None else Policy.model_validate(data)

    def policies_for_service(self, service_id: str) -> list[Policy]:
        """Policies that name this service as related, newest first."""
        policies = [Policy.model_validate(p) for p in self.store.items("policy")]
        related = [p for p in policies if service_id in p.related_service_ids]
        return sorted(related, key=lambda p: (p.date, p.id), reverse=True)

    def institution(self, institution_id: str) -> Institution | None:
        data = self.store.item("institution", institution_id)
        return None if data is None else Institution.model_validate(data)

    def institutions_for(self, service: ServiceItem) -> list[Institution]:
        """Where to apply for a service, in the service's own order; missing ones skipped."""
        found = (self.store.item("institution", i) for i in service.institution_ids)
        return [Institution.model_validate(data) for data in found if data is not None]

    def district(self, code: str) -> District | None:
        return next((d for d in self.districts() if d.code == code), None)

    def institutions_in(self, district_code: str) -> list[Institution]:
        institutions = [Institution.model_validate(i) for i in self.store.items("institution")]
        return [i for i in institutions if i.district == district_code]

    def services_in(self, district_code: str) -> list[ServiceItem]:
        """Services an institution in this district offers, each once, by name in pinyin
        order (as a Chinese reader looks a name up), then by id.

        An institution offers a service when either names the other: the institution's
        ``service_ids`` or the service's ``institution_ids``.
        """
        institutions = self.institutions_in(district_code)
        offered = {s for i in institutions for s in i.service_ids}
        here = {i.id for i in institutions}
        services = [ServiceItem.model_validate(s) for s in self.store.items("service")]
        found = [s for s in services if s.id in offered or here.intersection(s.institution_ids)]
        return sorted(found, key=lambda s: (_pinyin_key(s.name), s.name, s.id))

    def events_in(self, district_code: str, now: datetime | None = None) -> list[Event]:
        """Coming events (not yet ended) in this district, soonest first."""
        return [e for e in self.events(now) if e.district == district_code]

    def events(self, now: datetime | None = None, *, include_past: bool = False) -> list[Event]:
        """Events soonest first; those that have ended are left out unless ``include_past``."""
        events = [Event.model_validate(e) for e in self.store.items("event")]
        if not include_past:
            moment = now or datetime.now(UTC)
            events = [e for e in events if e.end_at > moment]
        return sorted(events, key=lambda e: (e.start_at, e.id))

    def event(self, event_id: str) -> Event | None:
        data = self.store.item("event", event_id)
        return None if data is None else Event.model_validate(data)

    def rules(self) -> list[dict[str, Any]]:
        """Eligibility rules (kind ``rule``) as raw data; ``services.matching`` parses them."""
        return self.store.items("rule")

    def is_empty(self) -> bool:
        return self.store.count() == 0


def _pinyin_key(name: str) -> tuple[str, ...]:
    """A name's syllables (letters and digits as written, lower case), for pinyin order."""
    return tuple(part.lower() for part in lazy_pinyin(name))
