"""Matching facts through the outbox, against the real backend over HTTP; matching offline.

A facts edit is an outbox action like a contact edit: shown (and re-matched) at once, sent in
order with If-Match, merged by the server key by key. Matching reads only the local store.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sync_support import DEV_CODE, BackendServer

from backend.core.config import DEFAULT_SEED_DIR
from backend.crud import get_user_by_phone
from backend.demo_users import RESIDENT_PHONE
from services.api import ApiClient
from services.catalog import Catalog
from services.client import PersonalServices
from services.errors import InputError
from services.matching import Eligibility, Facts, match_local, match_services
from services.sync.catalog import CatalogSync
from services.sync.sender import DrainStop

MakeClient = Callable[..., PersonalServices]
TODAY = date(2026, 3, 1)


def signed_in(make_client: MakeClient, backend: BackendServer) -> PersonalServices:
    client = make_client(backend.url)
    client.account.sign_in(RESIDENT_PHONE, DEV_CODE)
    client.personal.refresh()
    return client


def server_facts(backend: BackendServer) -> dict[str, Any]:
    with backend.session() as session:
        return get_user_by_phone(session, RESIDENT_PHONE).facts


def seed(name: str) -> list[dict[str, Any]]:
    return json.loads((DEFAULT_SEED_DIR / name).read_text(encoding="utf-8"))


def status_of(client: PersonalServices, service_id: str) -> Eligibility:
    """Match on what the person sees now (queued edits included), with the seed catalogue."""
    view = client.personal.view()
    assert view.me is not None
    facts = Facts.from_profile(view.me["facts"], TODAY)
    matches = match_services(seed("services.json"), seed("rules.json"), facts, view.benefits)
    return next(m.status for m in matches if m.service_id == service_id)


def test_a_facts_edit_shows_and_rematches_at_once_then_reaches_the_server(
    make_client: MakeClient, backend: BackendServer
):
    client = signed_in(make_client, backend)
    before = client.personal.view().me
    assert before is not None and before["facts"]["low_income"] is None
    assert status_of(client, "svc-hardship-living-subsidy") is Eligibility.MAYBE
    backend.stop()

    action_id = client.personal.edit_facts({"low_income": "dibao"})

    view = client.personal.view()
    assert view.waiting == 1
    assert view.me is not None
    assert view.me["facts"] == {**before["facts"], "low_income": "dibao"}
    assert status_of(client, "svc-hardship-living-subsidy") is Eligibility.ELIGIBLE
    assert client.sender.drain().stopped is DrainStop.OFFLINE

    backend.start()
    result = client.sender.drain()

    assert (result.sent, result.rejected, result.waiting) == (1, 0, 0)
    stored = server_facts(backend)
    assert stored["low_income"] == "dibao" and stored["level"] == 2
    after = client.personal.view().me
    assert after is not None and after["facts"]["low_income"] == "dibao"
    assert after["version"] == before["version"] + 1
    assert action_id


def test_forgetting_a_fact_and_a_contact_edit_queue_behind_each_other(
    make_client: MakeClient, backend: BackendServer
):
    client = signed_in(make_client, backend)
    backend.stop()
    client.personal.edit_facts({"level": None, "student": True})
    client.personal.edit_contact({"address": "新地址"})
    client.personal.edit_facts({"category": "mental"})

    view = client.personal.view()
    assert view.me is not None and view.waiting == 3
    assert (view.me["facts"]["level"], view.me["facts"]["student"]) == (None, True)
    assert view.me["facts"]["category"] == "mental" and view.me["address"] == "新地址"
    assert status_of(client, "svc-severe-care-subsidy") is Eligibility.MAYBE
    backend.start()

    result = client.sender.drain()

    assert (result.sent, result.rejected) == (3, 0)
    stored = server_facts(backend)
    assert "level" not in stored
    assert (stored["student"], stored["category"], stored["hukou"]) == (True, "mental", "shanghai")
    final = client.personal.view().me
    assert final is not None and final["facts"]["level"] is None
    assert final["facts"]["birth_date"] == "1955-03-12"


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"level": 2}, "facts", "nothing_changed"),
        ({"level": 7}, "level", "fact_invalid"),
        ({"certificate": "yes"}, "certificate", "fact_invalid"),
        ({"district": "北京"}, "district", "district_invalid"),
    ],
)
def test_a_facts_edit_is_checked_before_it_is_queued(
    make_client: MakeClient,
    backend: BackendServer,
    changes: dict[str, Any],
    field: str,
    code: str,
):
    client = signed_in(make_client, backend)

    with pytest.raises(InputError) as caught:
        client.personal.edit_facts(changes)

    assert (caught.value.field, caught.value.code) == (field, code)
    assert client.personal.view().waiting == 0


def test_matching_offline_from_the_synced_catalogue(
    real_seed_backend: BackendServer,
    make_client: MakeClient,
    make_api: Callable[..., ApiClient],
):
    client = make_client(real_seed_backend.url)  # its own store, signed in below
    client.account.sign_in(RESIDENT_PHONE, DEV_CODE)
    client.personal.refresh()
    CatalogSync(make_api(real_seed_backend.url), client.personal.store).pull()
    catalog = Catalog(client.personal.store)
    assert len(catalog.rules()) == len(seed("rules.json")) == len(seed("services.json"))
    real_seed_backend.stop()

    matches = match_local(catalog, client.personal.view(), TODAY)

    by_id = {m.service_id: m for m in matches}
    assert matches[0].service_id == "svc-transport-subsidy"
    assert matches[0].status is Eligibility.GRANTED and matches[0].reason
    # She qualifies for the care subsidy, and her application for it is in review.
    assert by_id["svc-severe-care-subsidy"].status is Eligibility.APPLIED
    assert by_id["svc-severe-care-subsidy"].record["status"] == "in_review"
    assert by_id["svc-home-care"].status is Eligibility.ELIGIBLE
    hardship = by_id["svc-hardship-living-subsidy"]
    assert (hardship.status, hardship.missing) == (Eligibility.MAYBE, ["low_income"])
    assert by_id["svc-child-rehab-aid"].status is Eligibility.NOT_ELIGIBLE
    assert {m.status for m in matches} <= set(Eligibility) - {Eligibility.UNKNOWN_RULE}

    client.personal.edit_facts({"low_income": "low_income"})  # offline: queued

    again = {m.service_id: m for m in match_local(catalog, client.personal.view(), TODAY)}
    assert again["svc-hardship-living-subsidy"].status is Eligibility.ELIGIBLE
