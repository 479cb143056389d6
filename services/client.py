"""Wires the signed-in side of the client: account, outbox, personal data, trips, events, acting
on behalf and the sender."""

from __future__ import annotations

from dataclasses import dataclass

from services.account.account import Account
from services.account.tokens import TokenStore
from services.api import ApiClient
from services.catalog import Catalog
from services.clock import Clock, utc_now
from services.events.commands import EventActions
from services.personal import PersonalData
from services.proxy.commands import ProxyActions
from services.sync.outbox import Outbox
from services.sync.sender import OutboxSender, RetryPolicy
from services.sync.store import LocalStore
from services.trips.commands import TripActions


@dataclass(frozen=True)
class PersonalServices:
    account: Account
    outbox: Outbox
    personal: PersonalData
    sender: OutboxSender
    trips: TripActions
    events: EventActions
    proxy: ProxyActions


def build_personal_services(
    api: ApiClient,
    store: LocalStore,
    tokens: TokenStore,
    policy: RetryPolicy | None = None,
    clock: Clock = utc_now,
) -> PersonalServices:
    account = Account(api, tokens, store)
    outbox = Outbox(store)
    personal = PersonalData(store, outbox, account)
    return PersonalServices(
        account,
        outbox,
        personal,
        OutboxSender(account, outbox, personal, policy),
        TripActions(personal, now=clock),
        EventActions(personal, Catalog(store), now=clock),
        ProxyActions(personal),
    )
