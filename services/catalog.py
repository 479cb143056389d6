"""Typed read models over the local catalogue, for the app to show."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from services.sync.store import LocalStore


class CatalogRecord(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    id: str
    example_data: bool = False


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


class Institution(CatalogRecord):
    name: str
    district: str = ""
    address: str = ""
    phone: str = ""
    hours: str = ""


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

    def district(self, code: str) -> District | None:
        return next((d for d in self.districts() if d.code == code), None)

    def institutions_in(self, district_code: str) -> list[Institution]:
        institutions = [Institution.model_validate(i) for i in self.store.items("institution")]
        return [i for i in institutions if i.district == district_code]

    def is_empty(self) -> bool:
        return self.store.count() == 0
