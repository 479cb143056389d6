"""The signed-in person's own data, kept locally so it reads offline, and their actions on it.

What the app shows is the server's last answer (a *snapshot* per list) with every action still
waiting in the outbox applied on top, in order. An action the server rejects leaves the outbox
and so, by construction, leaves the view: there is no hand-written undo to get wrong.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from services.account.account import Account, principal_in
from services.account.kinds import PROFILE_EDIT
from services.errors import InputError, ProblemError, SignedOutError
from services.events.kinds import ATTENDANCE, DOOR, empty_attendance
from services.inbox.kinds import INBOX_ANSWERS, INBOX_REPLY
from services.proxy.kinds import CONSENTS, PROXY_CONSENTS
from services.sync.kinds import OutboxKinds
from services.sync.outbox import Outbox
from services.sync.store import (
    OWNER_KEY,
    PERSONAL_VALUE,
    LocalStore,
    read_personal,
    read_snapshot,
    save_snapshot,
)
from services.trips.kinds import OPEN_TRIPS, VOLUNTEER
from services.validation import clean_contact_changes, clean_fact_changes

LISTS = {  # fetched on every refresh: {"items": [...]}
    "service_records": "/me/service-records",
    "visits": "/me/visits",
    "benefits": "/me/benefits",
    "inbox": "/me/inbox",
    "trips": "/trips/mine",
    "notifications": "/me/notifications",
    "signups": "/me/signups",
}
# open_trips: only a verified volunteer's, else []; door: only staff's, else [];
# consents and proxy_consents: only while acting as oneself, else []
OWN_LISTS = {CONSENTS: "/me/consents", PROXY_CONSENTS: "/proxy/consents"}
LIST_KEYS = (*LISTS, OPEN_TRIPS, DOOR, *OWN_LISTS)
NOT_ON_BEHALF = "not_on_behalf"
SNAPSHOT_KEYS = ("me", VOLUNTEER, ATTENDANCE, *LIST_KEYS)
VERIFIED = "verified"
STAFF = "staff"


@dataclass(frozen=True)
class PersonalView:
    me: dict[str, Any] | None = None
    service_records: list[dict[str, Any]] = field(default_factory=list)
    visits: list[dict[str, Any]] = field(default_factory=list)
    benefits: list[dict[str, Any]] = field(default_factory=list)
    inbox: list[dict[str, Any]] = field(default_factory=list)
    trips: list[dict[str, Any]] = field(default_factory=list)  # my requests and volunteering
    notifications: list[dict[str, Any]] = field(default_factory=list)
    open_trips: list[dict[str, Any]] = field(default_factory=list)  # to claim; verified only
    volunteer: dict[str, Any] | None = None  # my registration; None if not registered
    signups: list[dict[str, Any]] = field(default_factory=list)  # events, soonest first
    # My attendance record: {"items", "summary", "blocks_signup"} (it never blocks sign-up).
    attendance: dict[str, Any] = field(default_factory=empty_attendance)
    door: list[dict[str, Any]] = field(default_factory=list)  # today's events at the door; staff
    waiting: int = 0  # actions not sent yet (of whoever the person acts as now)
    # {consent_id, resident_id, resident_name} while acting for a resident: everything above is
    # then the resident's; None when acting as oneself.
    acting_for: dict[str, Any] | None = None
    consents: list[dict[str, Any]] = field(default_factory=list)  # I granted; not while acting
    proxy_consents: list[dict[str, Any]] = field(default_factory=list)  # I hold; not while acting

    @property
    def loaded(self) -> bool:
        return self.me is not None


class PersonalData:
    def __init__(
        self, store: LocalStore, outbox: Outbox, account: Account, kinds: OutboxKinds
    ) -> None:
        self.store = store
        self.kinds = kinds  # every outbox kind, by name (the app's feature list)
        self.outbox = outbox
        self.account = account
        account.on_principal_change(self._forget_snapshots)

    def _forget_snapshots(self, db: sqlite3.Connection) -> None:
        """Acting for someone started or stopped: the snapshots were the other person's."""
        db.execute(
            f"DELETE FROM personal_data WHERE key IN ({','.join('?' * len(SNAPSHOT_KEYS))})",
            SNAPSHOT_KEYS,
        )

    def snapshots(self) -> dict[str, Any]:
        rows = self.store.read(
            f"SELECT key, {PERSONAL_VALUE} FROM personal_data "
            f"WHERE key IN ({','.join('?' * len(SNAPSHOT_KEYS))})",
            SNAPSHOT_KEYS,
        )
        return {key: json.loads(value) for key, value in rows}

    def view(self) -> PersonalView:
        principal = self.account.principal()
        if principal is None:
            return PersonalView()
        snapshots = self.snapshots()
        waiting = self.outbox.waiting(principal)
        for item in waiting:
            self.kinds[item.kind].overlay(snapshots, item.payload)
        return PersonalView(
            me=snapshots.get("me"),
            volunteer=snapshots.get(VOLUNTEER),
            attendance=snapshots.get(ATTENDANCE) or empty_attendance(),
            **{name: snapshots.get(name) or [] for name in LIST_KEYS},
            waiting=len(waiting),
            acting_for=self.account.acting_for(),
        )

    def loaded_view(self) -> PersonalView:
        """The view, for an action that checks against it: signed out or not loaded yet is
        ``SignedOutError``."""
        view = self.view()
        if not view.loaded:
            raise SignedOutError("personal data not loaded")
        return view

    def refresh(self) -> None:
        """Fetch the profile and every list; all replace their snapshots in one transaction.

        The volunteer registration is None when there is none (404); the open trips are fetched
        only for a verified volunteer, and are [] when the server says they may not see them;
        the same for today's door lists and staff.

        While acting for a resident everything is the resident's (``X-Act-For``); what the
        server refuses to a helper (``403 not_on_behalf``: the volunteer registration, the open
        trips, the door, the consents) counts as none. A refresh that finds the person started
        or stopped acting meanwhile keeps nothing.
        """
        principal = self.account.principal()
        acting = self.account.acting_for() is not None
        answers: dict[str, Any] = {"me": self.account.call("GET", "/me", principal=principal).body}
        for name, path in LISTS.items():
            answers[name] = self.account.call("GET", path, principal=principal).body["items"]
        answers[ATTENDANCE] = self.account.call("GET", "/me/attendance", principal=principal).body
        volunteer = None
        if not acting:
            volunteer = self._get("/volunteers/me", principal, absent=404)
        answers[VOLUNTEER] = volunteer
        open_trips = None
        if volunteer is not None and volunteer.get("status") == VERIFIED:
            open_trips = self._get("/trips/open", principal, absent=403)
        answers[OPEN_TRIPS] = [] if open_trips is None else open_trips["items"]
        door = None
        if not acting and STAFF in (answers["me"].get("roles") or []):
            door = self._get("/door/today", principal, absent=403)
        answers[DOOR] = [] if door is None else door["items"]
        for key, path in OWN_LISTS.items():
            # 404 too: a server of the contract before acting on behalf has no such lists.
            own = None if acting else self._get(path, principal, absent=(403, 404))
            answers[key] = [] if own is None else own["items"]
        with self.store.transaction() as db:
            if read_personal(db, OWNER_KEY) is None:
                return  # signed out while we were fetching: keep nothing
            if principal_in(db) != principal:
                return  # started or stopped acting meanwhile: this was someone else's data
            stored = read_snapshot(db, "me")
            if stored is not None and stored["version"] > answers["me"]["version"]:
                # A queued edit settled while we were fetching and the queue was rebased onto
                # the version it made; going back to our older copy would make the next edit
                # build on a stale version and be refused as a conflict.
                answers["me"] = stored
            for key in LIST_KEYS:
                # Same for a trip an action changed meanwhile: keep the newer of the two.
                answers[key] = _keep_newer(read_snapshot(db, key), answers[key])
            answers[DOOR] = _keep_newer_door(read_snapshot(db, DOOR), answers[DOOR])
            for key, value in answers.items():
                save_snapshot(db, key, value)

    def refresh_own(self, key: str) -> None:
        """Fetch one of the person's own lists (``OWN_LISTS``: the consents they granted or
        hold) now, while someone waits on the other side; nothing while acting for another."""
        principal = self.account.principal()
        if principal is None or self.account.acting_for() is not None:
            return
        own = self._get(OWN_LISTS[key], principal, absent=(403, 404))
        with self.store.transaction() as db:
            if read_personal(db, OWNER_KEY) is None or principal_in(db) != principal:
                return  # signed out, or started acting, while we were fetching
            items = [] if own is None else own["items"]
            save_snapshot(db, key, _keep_newer(read_snapshot(db, key), items))

    def _get(self, path: str, principal: str | None, *, absent: int | tuple[int, ...]) -> Any:
        """The answer's body, or None when the server answers with the status ``absent`` (or
        refuses it to someone acting for another: ``403 not_on_behalf``)."""
        try:
            return self.account.call("GET", path, principal=principal).body
        except ProblemError as exc:
            statuses = absent if isinstance(absent, tuple) else (absent,)
            if exc.status in statuses or exc.code == NOT_ON_BEHALF:
                return None
            raise

    # -- the person's actions: each is an outbox row, shown at once through the overlay ------

    def edit_contact(self, changes: dict[str, str]) -> str:
        cleaned = clean_contact_changes(changes)
        me = self.view().me
        if me is None:
            raise SignedOutError("profile not loaded")
        changed = {k: v for k, v in cleaned.items() if me.get(k) != v}
        if not changed:
            raise InputError("profile", "nothing_changed")
        return self.act(PROFILE_EDIT, {"changes": changed}, base_on_profile=True)

    def edit_facts(self, changes: dict[str, Any]) -> str:
        """Queue a change of the matching facts (``None`` forgets one); shown at once.

        Only facts that differ from what is shown are sent; nothing different is
        ``InputError("facts", "nothing_changed")``. Returns the outbox action's id.
        """
        cleaned = clean_fact_changes(changes)
        me = self.view().me
        if me is None:
            raise SignedOutError("profile not loaded")
        current = me.get("facts") or {}
        changed = {k: v for k, v in cleaned.items() if not _same(current.get(k), v)}
        if not changed:
            raise InputError("facts", "nothing_changed")
        return self.act(PROFILE_EDIT, {"changes": {"facts": changed}}, base_on_profile=True)

    def reply_inbox(self, item_id: int, answer: str, note: str | None = None) -> str:
        if answer not in INBOX_ANSWERS:
            raise ValueError(f"not an inbox answer: {answer}")
        return self.act(INBOX_REPLY, {"item_id": item_id, "answer": answer, "note": note})

    def act(
        self,
        kind: str,
        payload: dict[str, Any],
        *,
        base_on_profile: bool = False,
        as_self: bool = False,
    ) -> str:
        """Queue an action of ``kind`` (one of ``self.kinds``) for the signed-in person; its id.

        Callers validate first; the view shows the action at once through its overlay. It is
        queued as whoever the person acts as now (sent with that ``X-Act-For`` even if they stop
        acting before it goes), or with ``as_self`` as the person themselves.
        """
        owner = self.account.owner() if as_self else self.account.principal()
        if owner is None:
            raise SignedOutError("not signed in")
        with self.store.transaction() as db:
            if principal_in(db) != owner and not as_self:
                raise SignedOutError("acting changed meanwhile")
            if base_on_profile:
                # The version the edit builds on is read in the transaction that queues it, not
                # from the view above: an earlier edit may have settled in between, rebasing the
                # queue onto the version it made (actions.py), and this edit must build on it too.
                me = read_snapshot(db, "me")
                if me is None:
                    raise SignedOutError("profile not loaded")
                payload = {**payload, "base_version": me["version"]}
            return self.outbox.enqueue(db, owner, kind, payload)


def _keep_newer(stored: Any, fetched: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``fetched``, but where ``stored`` holds a later version of an item (one an action's
    answer stored after the fetch left), that one."""
    newer = {
        item["id"]: item
        for item in stored or []
        if isinstance(item, dict) and isinstance(item.get("version"), int)
    }
    return [
        newer[item["id"]]
        if item.get("id") in newer
        and isinstance(item.get("version"), int)
        and newer[item["id"]]["version"] > item["version"]
        else item
        for item in fetched
    ]


def _keep_newer_door(stored: Any, fetched: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Today's door lists as fetched, but an attendee a door check-in (or undo) stored after the
    fetch left is kept, and the count of those checked in follows the rows kept."""
    newer = {
        attendee["signup_id"]: attendee
        for entry in stored or []
        if isinstance(entry, dict)
        for attendee in entry.get("attendees") or []
        if isinstance(attendee.get("version"), int)
    }
    merged = []
    for entry in fetched:
        attendees = [
            newer[a["signup_id"]]
            if a["signup_id"] in newer
            and isinstance(a.get("version"), int)
            and newer[a["signup_id"]]["version"] > a["version"]
            else a
            for a in entry.get("attendees") or []
        ]
        if attendees != entry.get("attendees"):
            checked_in = sum(a.get("checked_in_at") is not None for a in attendees)
            entry = {
                **entry,
                "attendees": attendees,
                "counts": {**(entry.get("counts") or {}), "checked_in": checked_in},
            }
        merged.append(entry)
    return merged


def _same(old: Any, new: Any) -> bool:
    """Equal and of the same type: True == 1 in Python, but a level is not a yes/no answer."""
    return type(old) is type(new) and old == new
