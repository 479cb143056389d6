"""Wires the signed-in side of the client: account, outbox, personal data, trips, events, acting
on behalf and the sender."""

from __future__ import annotations

from dataclasses import dataclass

from services.account.account import Account
from services.account.tokens import TokenStore
from services.api import ApiClient
from services.catalog import Catalog
from services.clock import Clock, utc_now
from services.events.commands import EventCommands
from services.personal import PersonalData
from services.proxy.commands import ProxyCommands
from services.sync.kinds import OutboxKinds
from services.sync.outbox import Outbox
from services.sync.sender import OutboxSender, RetryPolicy
from services.sync.store import LocalStore
from services.trips.commands import TripCommands


@dataclass(frozen=True)
class PersonalServices:
    account: Account
    outbox: Outbox
    personal: PersonalData
    sender: OutboxSender
    trips: TripCommands
    events: EventCommands
    proxy: ProxyCommands


def build_personal_services(
    api: ApiClient,
    store: LocalStore,
    tokens: TokenStore,
    kinds: OutboxKinds,
    policy: RetryPolicy | None = None,
    clock: Clock = utc_now,
) -> PersonalServices:
    account = Account(api, tokens, store)
    outbox = Outbox(store)
    personal = PersonalData(store, outbox, account, kinds)
    return PersonalServices(
        account,
        outbox,
        personal,
        OutboxSender(account, outbox, personal, policy),
        TripCommands(personal, now=clock),
        EventCommands(personal, Catalog(store), now=clock),
        ProxyCommands(personal),
    )
