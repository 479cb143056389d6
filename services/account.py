"""The person's session: sign in with a phone code, call the API as them, refresh, sign out.

Refresh tokens work once (the server rotates them and treats a reused one as theft). A refresh
whose answer was lost must therefore be retried with the *same* Idempotency-Key, so the server
replays it instead of seeing a reuse; the key is kept until a refresh succeeds.
"""

from __future__ import annotations

import logging
import threading
import uuid
from dataclasses import dataclass
from typing import Any

import stamina

from services.api import ApiClient, ApiResponse, TokenPair
from services.errors import NoAnswerError, ProblemError, SignedOutError
from services.sync.store import OWNER_KEY, LocalStore, write_personal
from services.tokens import TokenStore
from services.validation import normalise_code, normalise_phone

logger = logging.getLogger(__name__)


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

    # -- who is signed in --------------------------------------------------------------------

    @property
    def signed_in(self) -> bool:
        return self.tokens.load() is not None and self.owner() is not None

    def owner(self) -> str | None:
        """The signed-in user's id, as the server gave it; None when nobody is signed in."""
        rows = self.store.read("SELECT value FROM personal_data WHERE key = ?", (OWNER_KEY,))
        return rows[0][0] if rows else None

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
        """Forget tokens and every personal row, unsent actions included (the UI warns first)."""
        self.tokens.clear()
        self._refresh_key = None
        self.store.wipe_personal()

    # -- calling the API as the person -------------------------------------------------------

    def call(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        key: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> ApiResponse:
        """One authenticated request; a 401 refreshes the tokens once and sends it again."""
        pair = self.tokens.load()
        if pair is None:
            raise SignedOutError("not signed in")
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
