"""Catalogue read models (services/catalog.py) over a real LocalStore filled from assets/seed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.api import CatalogChange
from services.catalog import Catalog, Institution, Policy, ServiceItem
from services.sync.store import LocalStore
from tests.seed_catalogue import seed_records, seeded_catalog

CARD = "svc-disability-card-apply"


@pytest.fixture
def catalog(store: LocalStore) -> Catalog:
    return seeded_catalog(store, ("district", "service", "policy", "institution"))


def test_every_seed_record_reads_as_its_model(catalog: Catalog) -> None:
    for record in seed_records("service"):
        assert isinstance(catalog.service(record["id"]), ServiceItem)
    for record in seed_records("policy"):
        assert isinstance(catalog.policy(record["id"]), Policy)
    for record in seed_records("institution"):
        assert isinstance(catalog.institution(record["id"]), Institution)


def test_a_service_has_its_materials_steps_places_and_unverified_fields(catalog: Catalog) -> None:
    service = catalog.service(CARD)
    assert service is not None
    assert service.name == "残疾人证申领"
    assert service.materials[0] == "本人身份证或户口簿原件"
    assert len(service.steps) == 4
    assert "社区事务受理服务中心" in service.where
    assert "随申办" in service.how
    assert "inst-huangpu-dpf" in service.institution_ids
    assert "办残疾证" in service.keywords
    assert service.example_data
    assert service.example_fields == ("materials", "steps", "where", "how")


def test_a_policy_reads_with_its_document_number_and_related_services(catalog: Catalog) -> None:
    policy = catalog.policy("pol-disability-classification-standard")
    assert policy is not None
    assert policy.title == "《残疾人残疾分类和分级》"
    assert policy.issuer.startswith("国家质量监督检验检疫总局")
    assert policy.date == "2011-05-01"
    assert policy.doc_number == "GB/T 26341—2010"
    assert "视力" in policy.summary
    assert policy.related_service_ids == (CARD, "svc-disability-card-renew")
    assert policy.example_fields == ("date",)


def test_a_policy_without_a_document_number_has_none(catalog: Catalog) -> None:
    policy = catalog.policy("pol-disability-protection-law")
    assert policy is not None
    assert policy.doc_number is None
    assert not policy.example_data and policy.example_fields == ()


def test_an_institution_has_its_kind_accessibility_and_services(catalog: Catalog) -> None:
    institution = catalog.institution("inst-huangpu-dpf")
    assert institution is not None
    assert institution.name == "黄浦区残疾人联合会"
    assert institution.kind == "残联"
    assert institution.district == "310101"
    assert "无障碍出入口" in institution.accessibility
    assert CARD in institution.service_ids
    assert "phone" in institution.example_fields


def test_unknown_ids_are_none(catalog: Catalog) -> None:
    assert catalog.policy("pol-nowhere") is None
    assert catalog.institution("inst-nowhere") is None
    assert catalog.service("svc-nowhere") is None


def test_institutions_for_a_service_follow_its_order(catalog: Catalog) -> None:
    service = catalog.service(CARD)
    assert service is not None
    institutions = catalog.institutions_for(service)
    assert [i.id for i in institutions] == list(service.institution_ids)
    assert all(CARD in i.service_ids for i in institutions), "the two lists agree"


def test_institutions_for_skips_ids_not_saved_here(catalog: Catalog) -> None:
    service = catalog.service(CARD)
    assert service is not None
    partial = service.model_copy(update={"institution_ids": ("inst-gone", "inst-huangpu-dpf")})
    assert [i.id for i in catalog.institutions_for(partial)] == ["inst-huangpu-dpf"]


def test_policies_for_a_service_are_those_naming_it_newest_first(catalog: Catalog) -> None:
    policies = catalog.policies_for_service(CARD)
    expected = {p["id"] for p in seed_records("policy") if CARD in p["related_service_ids"]}
    assert {p.id for p in policies} == expected
    assert "pol-disability-card-measures" in expected
    dates = [p.date for p in policies]
    assert dates == sorted(dates, reverse=True)


def test_policies_for_a_service_nobody_names_is_empty(catalog: Catalog) -> None:
    assert catalog.policies_for_service("svc-nowhere") == []


def test_services_for_keeps_the_order_given_and_skips_unknown_ids(catalog: Catalog) -> None:
    services = catalog.services_for(["svc-disability-card-renew", "svc-nowhere", CARD])
    assert [s.id for s in services] == ["svc-disability-card-renew", CARD]
    assert catalog.services_for([]) == []


def test_every_related_service_and_institution_in_the_seed_resolves(catalog: Catalog) -> None:
    for record in seed_records("policy"):
        policy = catalog.policy(record["id"])
        assert policy is not None
        assert len(catalog.services_for(policy.related_service_ids)) == len(
            policy.related_service_ids
        )
    for record in seed_records("service"):
        service = catalog.service(record["id"])
        assert service is not None
        assert len(catalog.institutions_for(service)) == len(service.institution_ids)


def test_records_missing_the_new_fields_still_read(store: LocalStore) -> None:
    """An older server's records (no materials, kind, ...) read with empty defaults."""
    store.apply_page(
        [
            CatalogChange(
                kind="service",
                id="svc-a",
                version=1,
                deleted=False,
                data={"id": "svc-a", "name": "A"},
            ),
            CatalogChange(
                kind="policy",
                id="pol-a",
                version=1,
                deleted=False,
                data={"id": "pol-a", "title": "P"},
            ),
            CatalogChange(
                kind="institution",
                id="inst-a",
                version=1,
                deleted=False,
                data={"id": "inst-a", "name": "I"},
            ),
        ],
        "c1",
        last=True,
    )
    catalog = Catalog(store)
    service, policy, institution = (
        catalog.service("svc-a"),
        catalog.policy("pol-a"),
        catalog.institution("inst-a"),
    )
    assert service is not None and service.materials == () and service.institution_ids == ()
    assert policy is not None and policy.doc_number is None and policy.related_service_ids == ()
    assert institution is not None and institution.kind == "" and institution.accessibility == ()
    assert catalog.institutions_for(service) == []
    assert catalog.policies_for_service("svc-a") == []


# -- a district's flagship page: its institutions, services and coming events -------------------


def test_services_in_a_district_are_those_its_institutions_offer_by_name(catalog: Catalog) -> None:
    services = catalog.services_in("310101")
    here = [i for i in seed_records("institution") if i["district"] == "310101"]
    offered = {s for i in here for s in i["service_ids"]}
    assert {s.id for s in services} == offered and len(offered) > 10
    assert len(services) == len(offered), "each once, though both institutions offer it"
    names = [(s.name, s.id) for s in services]
    # pinyin order: 按 (an) ... 重度 (zhong du; 重 read as in 重度, not chong)
    assert names[0][0] == "按比例安排残疾人就业"
    assert names[-1][0] == "重度残疾人居家养护"
    assert CARD in {s.id for s in services}


def test_services_in_counts_a_service_naming_the_institution_and_the_reverse(
    store: LocalStore,
) -> None:
    def put(kind: str, record: dict) -> CatalogChange:
        return CatalogChange(kind=kind, id=record["id"], version=1, deleted=False, data=record)

    store.apply_page(
        [
            put("institution", {"id": "inst-h", "name": "H", "district": "310101",
                                "service_ids": ["svc-by-inst", "svc-gone"]}),
            put("institution", {"id": "inst-x", "name": "X", "district": "310104",
                                "service_ids": ["svc-elsewhere"]}),
            put("service", {"id": "svc-by-inst", "name": "乙 yi"}),
            put("service", {"id": "svc-by-service", "name": "甲 jia", "institution_ids": ["inst-h"]}),
            put("service", {"id": "svc-elsewhere", "name": "丙", "institution_ids": ["inst-x"]}),
        ],
        "c1",
        last=True,
    )  # fmt: skip
    catalog = Catalog(store)
    # 甲 (jia) before 乙 (yi), though 乙 comes first in Unicode
    assert [s.id for s in catalog.services_in("310101")] == ["svc-by-service", "svc-by-inst"]
    assert [s.id for s in catalog.services_in("310104")] == ["svc-elsewhere"]
    assert catalog.services_in("310000") == []


def test_institutions_in_a_district_are_only_its_own(catalog: Catalog) -> None:
    institutions = catalog.institutions_in("310104")
    assert len(institutions) == 10
    assert all(i.district == "310104" for i in institutions)
    assert catalog.institutions_in("999999") == []


def event_record(event_id: str, district: str, start_hours: float, hours: float = 2) -> dict:
    start = NOW + timedelta(hours=start_hours)
    return {
        "id": event_id,
        "title": f"活动 {event_id}",
        "district": district,
        "start_at": start.isoformat(),
        "end_at": (start + timedelta(hours=hours)).isoformat(),
        "signup_deadline": start.isoformat(),
        "cancel_deadline": start.isoformat(),
    }


NOW = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)


def test_events_in_a_district_are_coming_ones_soonest_first(store: LocalStore) -> None:
    records = [
        event_record("evt-later", "310101", 48),
        event_record("evt-ended", "310101", -5),
        event_record("evt-under-way", "310101", -1),  # started, not ended: still shown
        event_record("evt-soon", "310101", 3),
        event_record("evt-other-district", "310104", 1),
    ]
    store.apply_page(
        [
            CatalogChange(kind="event", id=r["id"], version=1, deleted=False, data=r)
            for r in records
        ],
        "c1",
        last=True,
    )
    catalog = Catalog(store)
    assert [e.id for e in catalog.events_in("310101", NOW)] == [
        "evt-under-way", "evt-soon", "evt-later"
    ]  # fmt: skip
    assert [e.id for e in catalog.events_in("310104", NOW)] == ["evt-other-district"]
    assert catalog.events_in("310115", NOW) == []
    late = NOW + timedelta(days=3)
    assert catalog.events_in("310101", late) == []


def test_services_for_keeps_pinned_order_even_against_the_catalogue_order(
    catalog: Catalog,
) -> None:
    ids = ["svc-student-aid", "svc-gone-since", CARD, "svc-disability-card-cancel"]
    assert [s.id for s in catalog.services_for(ids)] == [
        "svc-student-aid", CARD, "svc-disability-card-cancel"
    ]  # fmt: skip
