"""The person's session: sign in with a phone code, call the API as them, refresh, sign out.

Acting for someone (代办): after redeeming a resident's consent code the person may act for that
resident. ``start_acting`` keeps ``acting_for`` in the personal data (so it survives a restart;
sign-out and ``LocalStore.wipe_personal`` forget it), and every ``call`` then sends
``X-Act-For: <consent id>``. The *principal* names whom an action is done as: the user's id, or
``"<user id>~<consent id>"`` while acting; outbox items carry their principal and are sent with
its header whatever the person does meanwhile (``services.sync.sender``).

Refresh tokens work once (the server rotates them and treats a reused one as theft). A refresh
that got no answer is retried with the *same* Idempotency-Key, kept until a refresh succeeds:
if the first never reached the server, the retry is the refresh; if it did, the server never
answers one request with tokens twice (a copy of it must not yield a working pair), so the
person is signed out and signs in again, their waiting actions kept.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import stamina

from services.account.tokens import TokenStore
from services.api import ApiClient, ApiResponse, TokenPair
from services.errors import (
    InputError,
    NoAnswerError,
    ProblemError,
    SignedOutError,
    SunshineError,
)
from services.sync.outbox import WAITING, act_for_of, principal_of
from services.sync.store import (
    OWNER_KEY,
    PERSONAL_VALUE,
    LocalStore,
    read_personal,
    write_personal,
)
from services.validation import normalise_code, normalise_phone

logger = logging.getLogger(__name__)

ACTING_KEY = "acting_for"  # personal_data: {consent_id, resident_id, resident_name} while acting
ACT_FOR_HEADER = "X-Act-For"
LOGOUT_TIMEOUT = 2.0  # seconds: signing out never waits long for the server
CURRENT = "current"  # ``Account.call(principal=...)``: whoever the person acts as now

PrincipalListener = Callable[[sqlite3.Connection], None]


def acting_in(db: sqlite3.Connection) -> dict[str, Any] | None:
    """``acting_for`` as stored, inside a caller's transaction."""
    value = read_personal(db, ACTING_KEY)
    return None if value is None else json.loads(value)


def principal_in(db: sqlite3.Connection) -> str | None:
    """The principal now, inside a caller's transaction; None when signed out."""
    owner = read_personal(db, OWNER_KEY)
    if owner is None:
        return None
    acting = acting_in(db)
    return principal_of(owner, None if acting is None else acting["consent_id"])


@dataclass(frozen=True)
class CodeSent:
    phone: str
    expires_in: int  # seconds
    resend_after: int  # seconds


class Account:
    def __init__(self, api: ApiClient, tokens: TokenStore, store: LocalStore) -> None:
        self.api = api
        self.tokens = tokens
        self.store = store
        self._refresh_lock = threading.Lock()
        self._refresh_key: str | None = None
        self._listeners: list[PrincipalListener] = []

    # -- who is signed in --------------------------------------------------------------------

    @property
    def signed_in(self) -> bool:
        return self.tokens.load() is not None and self.owner() is not None

    def owner(self) -> str | None:
        """The signed-in user's id, as the server gave it; None when nobody is signed in."""
        rows = self.store.read(
            f"SELECT {PERSONAL_VALUE} FROM personal_data WHERE key = ?", (OWNER_KEY,)
        )
        return rows[0][0] if rows else None

    def acting_for(self) -> dict[str, Any] | None:
        """``{consent_id, resident_id, resident_name}`` while acting for a resident, else None."""
        rows = self.store.read(
            f"SELECT {PERSONAL_VALUE} FROM personal_data WHERE key = ?", (ACTING_KEY,)
        )
        return json.loads(rows[0][0]) if rows else None

    def principal(self) -> str | None:
        """Whom actions are done as now: the owner, or ``owner~consent`` while acting."""
        owner = self.owner()
        if owner is None:
            return None
        acting = self.acting_for()
        return principal_of(owner, None if acting is None else acting["consent_id"])

    # -- acting for a resident ---------------------------------------------------------------

    def on_principal_change(self, listener: PrincipalListener) -> None:
        """Call ``listener(db)`` in the transaction that starts or stops acting (the personal
        data drops the snapshots of the one acted as before)."""
        self._listeners.append(listener)

    def start_acting(self, consent: dict[str, Any]) -> dict[str, Any]:
        """Act for the resident of ``consent`` (as POST /proxy/consents answered it).

        Switching from another resident whose actions still wait is
        ``InputError("proxy", "actions_waiting")``. Returns the new ``acting_for``.
        """
        acting = {
            "consent_id": str(consent["id"]),
            "resident_id": str(consent["resident"]["id"]),
            "resident_name": str(consent["resident"].get("name") or ""),
        }
        with self.store.transaction() as db:
            owner = read_personal(db, OWNER_KEY)
            if owner is None:
                raise SignedOutError("not signed in")
            current = acting_in(db)
            if current is not None and current["consent_id"] == acting["consent_id"]:
                return current
            if current is not None and _waiting(db, principal_of(owner, current["consent_id"])):
                raise InputError("proxy", "actions_waiting")
            write_personal(db, ACTING_KEY, json.dumps(acting, ensure_ascii=False))
            for listener in self._listeners:
                listener(db)
        return acting

    def ensure_can_switch(self) -> None:
        """``InputError("proxy", "actions_waiting")`` while the resident acted for has actions
        waiting (check before redeeming another code: a code works once)."""
        with self.store.transaction() as db:
            owner, current = read_personal(db, OWNER_KEY), acting_in(db)
            busy = owner is not None and current is not None
            if busy and _waiting(db, principal_of(owner, current["consent_id"])):
                raise InputError("proxy", "actions_waiting")

    def stop_acting(self, *, force: bool = False, keep_waiting: bool = False) -> None:
        """Act as oneself again.

        While the resident's actions wait to be sent this is ``InputError("proxy",
        "actions_waiting")``, unless ``keep_waiting`` (they are still sent, as the resident,
        with the consent's header) or ``force`` (they are deleted unsent).
        """
        with self.store.transaction() as db:
            owner, current = read_personal(db, OWNER_KEY), acting_in(db)
            if owner is None or current is None:
                return
            principal = principal_of(owner, current["consent_id"])
            if _waiting(db, principal):
                if force:
                    db.execute(
                        f"DELETE FROM outbox WHERE owner = ? AND status IN ({_IN_WAITING})",
                        (principal, *WAITING),
                    )
                elif not keep_waiting:
                    raise InputError("proxy", "actions_waiting")
            db.execute("DELETE FROM personal_data WHERE key = ?", (ACTING_KEY,))
            for listener in self._listeners:
                listener(db)

    # -- signing in and out ------------------------------------------------------------------

    def request_code(self, phone_text: str) -> CodeSent:
        phone = normalise_phone(phone_text)
        body = self.api.request_code(phone, key=str(uuid.uuid4()))
        return CodeSent(phone, int(body["expires_in"]), int(body["resend_after"]))

    def sign_in(self, phone_text: str, code_text: str) -> dict[str, Any]:
        """Exchange the code for tokens and load the profile; returns it (GET /me)."""
        phone, code = normalise_phone(phone_text), normalise_code(code_text)
        pair = self.api.exchange_code(phone, code, key=str(uuid.uuid4()))
        me = self.api.call("GET", "/me", token=pair.access_token).body
        owner = str(me["id"])
        if self.owner() not in (None, owner):
            self.store.wipe_personal()  # someone else's leftovers never mix with this person's
        self.tokens.save(pair)
        with self.store.transaction() as db:
            write_personal(db, OWNER_KEY, owner)
        return me

    def sign_out(self) -> None:
        """Forget tokens and every personal row (acting for someone and unsent actions
        included; the UI warns first), then tell the server, best effort: POST /auth/logout
        with a short timeout, after the local wipe and never raising."""
        pair = self.tokens.load()
        self.tokens.clear()
        self._refresh_key = None
        self.store.wipe_personal()
        if pair is not None:
            try:
                self.api.logout(pair, timeout=LOGOUT_TIMEOUT)
            except SunshineError as exc:  # offline, or signed out already: nothing to do
                logger.info("logout not confirmed by the server: %s", type(exc).__name__)
            except Exception:  # never let the server's answer undo a sign-out
                logger.exception("logout failed")

    # -- calling the API as the person -------------------------------------------------------

    def call(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        key: str | None = None,
        headers: dict[str, str] | None = None,
        principal: str | None = CURRENT,
    ) -> ApiResponse:
        """One authenticated request; a 401 refreshes the tokens once and sends it again.

        ``principal``: whom the request is made as; by default whoever the person acts as now
        (``X-Act-For`` while acting). An outbox item passes its own, so it goes as queued; the
        owner's id (or None) sends it as the person themselves.
        """
        pair = self.tokens.load()
        if pair is None:
            raise SignedOutError("not signed in")
        if principal == CURRENT:
            principal = self.principal()
        consent_id = act_for_of(principal)
        headers = dict(headers or {})
        headers.pop(ACT_FOR_HEADER, None)
        if consent_id is not None:
            headers[ACT_FOR_HEADER] = consent_id
        try:
            return self.api.call(
                method, path, json=json, key=key, headers=headers, token=pair.access_token
            )
        except ProblemError as exc:
            if exc.status != 401:
                raise
        pair = self.refresh(stale_access=pair.access_token)
        try:
            return self.api.call(
                method, path, json=json, key=key, headers=headers, token=pair.access_token
            )
        except ProblemError as exc:
            if exc.status == 401:  # a fresh token refused: the account itself is gone
                raise SignedOutError("refused after refresh") from exc
            raise

    def refresh(self, stale_access: str | None = None) -> TokenPair:
        """New tokens; another thread's refresh counts. SignedOutError when refused."""
        with self._refresh_lock:
            pair = self.tokens.load()
            if pair is None:
                raise SignedOutError("not signed in")
            if stale_access is not None and pair.access_token != stale_access:
                return pair  # refreshed meanwhile by another caller
            if self._refresh_key is None:
                self._refresh_key = str(uuid.uuid4())
            try:
                for attempt in stamina.retry_context(
                    on=NoAnswerError, attempts=3, wait_initial=0.2, wait_max=2.0, timeout=15.0
                ):
                    with attempt:
                        fresh = self.api.refresh(pair.refresh_token, key=self._refresh_key)
            except ProblemError as exc:
                if exc.status in (401, 422):
                    logger.info("refresh refused (%s): signed out", exc.code)
                    self.tokens.clear()
                    self._refresh_key = None
                    raise SignedOutError(exc.code) from exc
                raise
            self._refresh_key = None
            self.tokens.save(fresh)
            return fresh


_IN_WAITING = ", ".join("?" * len(WAITING))


def _waiting(db: sqlite3.Connection, principal: str) -> bool:
    row = db.execute(
        f"SELECT 1 FROM outbox WHERE owner = ? AND status IN ({_IN_WAITING}) LIMIT 1",
        (principal, *WAITING),
    ).fetchone()
    return row is not None
