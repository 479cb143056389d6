"""Acting on behalf (代办): the resident's one-time consent code, the helper redeeming it and
acting for the resident, and ending consents from either side; no flet.

* ``create_code`` and ``redeem`` need the server at once (a code lives 10 minutes): they raise
  ``OfflineError`` / ``ProblemError`` as ``ApiClient`` does. ``redeem`` checks the resident's
  phone (``InputError("phone", …)``) and the code first (``InputError("consent_code",
  "invalid_format")`` unless 8 digits). The consent it makes is *pending*: the resident
  confirms it on their own device, and then the helper acts for them (``act_for``).
* ``watch_granted`` (the resident, after making a code) and ``watch_held`` (the helper, while
  the resident confirms) fetch that one list at once, so neither waits for the next refresh.
* ``confirm`` and ``withdraw`` (the resident: withdrawing one pending refuses it) and ``end``
  (the helper) are outbox actions, shown at once.

Checks before sending raise ``InputError(field, code)`` with the server's codes where there is
one: ``proxy``: ``not_on_behalf`` (a consent action while acting for someone),
``actions_waiting`` (stopping or switching while the resident's actions wait); ``consent``:
``consent_not_found``, ``consent_pending`` (acting before the resident confirmed),
``consent_active`` (confirming one confirmed already), ``consent_withdrawn``, ``consent_ended``,
``consent_expired``; ``lasts``: ``invalid``.
"""

from __future__ import annotations

import logging
import re
import uuid
from typing import Any

from services.errors import InputError, OfflineError
from services.personal import PersonalData
from services.proxy.kinds import (
    CONSENT_CONFIRM,
    CONSENT_END,
    CONSENT_WITHDRAW,
    CONSENTS,
    PROXY_CONSENTS,
)
from services.proxy.states import ACTIVE, LIVE, PENDING
from services.validation import normalise_phone

logger = logging.getLogger(__name__)

LASTS = ("day", "month")
CODE_LENGTH = 8
_SPACES = re.compile(r"[\s-]+")
_CODE = re.compile(rf"[0-9]{{{CODE_LENGTH}}}")  # ASCII digits only


def clean_consent_code(text: str) -> str:
    """The 8-digit code typed, spaces and dashes ignored; ``InputError`` otherwise."""
    code = _SPACES.sub("", text or "")
    if not _CODE.fullmatch(code):
        raise InputError("consent_code", "invalid_format")
    return code


class ProxyCommands:
    def __init__(self, personal: PersonalData) -> None:
        self.personal = personal
        self.account = personal.account

    # -- the resident --------------------------------------------------------------------------

    def create_code(self, lasts: str = "day") -> dict[str, Any]:
        """A fresh code to read to the helper: ``{code, expires_at, lasts}``. Online only."""
        if lasts not in LASTS:
            raise InputError("lasts", "invalid")
        self._not_acting()
        return self.account.call(
            "POST",
            "/me/consent-codes",
            json={"lasts": lasts},
            key=str(uuid.uuid4()),
            principal=self.account.owner(),
        ).body

    def watch_granted(self) -> list[dict[str, Any]]:
        """The consents I granted, fetched now (a helper may just have redeemed my code)."""
        self._not_acting()
        self.personal.refresh_own(CONSENTS)
        return self.personal.view().consents

    def confirm(self, consent_id: str) -> str:
        """Confirm on my own device that the helper may act for me (outbox kind
        ``consent_confirm``); shown at once."""
        consent = self._consent(self.personal.view().consents, consent_id, (PENDING,))
        return self.personal.act(CONSENT_CONFIRM, {"consent_id": consent["id"]}, as_self=True)

    def withdraw(self, consent_id: str) -> str:
        """Withdraw a consent I granted, or refuse one waiting for me (outbox kind
        ``consent_withdraw``); shown at once."""
        consent = self._consent(self.personal.view().consents, consent_id)
        return self.personal.act(CONSENT_WITHDRAW, {"consent_id": consent["id"]}, as_self=True)

    # -- the helper ----------------------------------------------------------------------------

    def redeem(self, phone_text: str, code_text: str) -> dict[str, Any]:
        """Redeem the code of the resident with this phone: the consent, pending until they
        confirm it (then ``act_for`` it). Online only."""
        phone = normalise_phone(phone_text)
        code = clean_consent_code(code_text)
        self.account.ensure_can_switch()
        consent = self.account.call(
            "POST",
            "/proxy/consents",
            json={"resident_phone": phone, "code": code},
            key=str(uuid.uuid4()),
            principal=self.account.owner(),
        ).body
        try:
            self.personal.refresh_own(PROXY_CONSENTS)
        except OfflineError as exc:  # the list fills in at the next refresh
            logger.info("refresh after redeeming failed: %s", type(exc).__name__)
        return consent

    def watch_held(self, consent_id: str) -> dict[str, Any] | None:
        """The consent I hold, fetched now (the resident may just have confirmed it); None
        once it is no longer live (refused, lapsed or ended)."""
        self._not_acting()
        self.personal.refresh_own(PROXY_CONSENTS)
        held = self.personal.view().proxy_consents
        return next((c for c in held if c["id"] == consent_id and c["state"] in LIVE), None)

    def act_for(self, consent_id: str) -> dict[str, Any]:
        """Act for the resident of a consent I hold, once they confirmed it; the snapshots
        become theirs, fetched at once."""
        consent = self._consent(self.personal.view().proxy_consents, consent_id, (ACTIVE,))
        self.account.start_acting(consent)
        self._refresh()
        return consent

    def stop(self, force: bool = False, *, keep_waiting: bool = False) -> None:
        """Act as myself again (see ``Account.stop_acting``); my own data is fetched at once."""
        self.account.stop_acting(force=force, keep_waiting=keep_waiting)
        self._refresh()

    def end(self, consent_id: str) -> str:
        """Give a consent back (outbox kind ``consent_end``); it leaves my list at once."""
        consent = self._consent(self.personal.view().proxy_consents, consent_id)
        return self.personal.act(CONSENT_END, {"consent_id": consent["id"]}, as_self=True)

    # -- checks --------------------------------------------------------------------------------

    def _not_acting(self) -> None:
        if self.account.acting_for() is not None:
            raise InputError("proxy", "not_on_behalf")

    def _consent(
        self, shown: list[dict[str, Any]], consent_id: str, states: tuple[str, ...] = LIVE
    ) -> dict[str, Any]:
        """The consent shown with this id, if it is in one of ``states``."""
        self._not_acting()
        consent = next((c for c in shown if c["id"] == consent_id), None)
        if consent is None:
            raise InputError("consent", "consent_not_found")
        if consent["state"] not in states:
            raise InputError("consent", f"consent_{consent['state']}")
        return consent

    def _refresh(self) -> None:
        try:
            self.personal.refresh()
        except OfflineError as exc:  # the view fills in at the next refresh
            logger.info("refresh after acting changed failed: %s", type(exc).__name__)
