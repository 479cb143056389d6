"""Making and redeeming consent codes, and ending consents. Changes are made in the caller's
session and never committed here."""

import uuid
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, select
from sqlalchemy.orm import Session

from backend.core.sealed import session_cipher
from backend.core.security import mask_phone
from backend.crud import get_user_by_phone
from backend.idempotency import user_scope
from backend.models import IdempotencyRecord, User
from backend.notify.notifications import notify_proxy_confirmed, notify_proxy_requested
from backend.proxy import errors
from backend.proxy.codes import CODE, hash_code, new_code
from backend.proxy.models import (
    Consent,
    ConsentCode,
    ConsentState,
    Lasts,
    ProxyAction,
)

CODE_TTL = timedelta(minutes=10)
CONFIRM_TTL = timedelta(minutes=10)  # a redeemed code's consent waits this long for the resident
LASTS = {Lasts.DAY: timedelta(hours=12), Lasts.MONTH: timedelta(days=30)}
ACTIONS_SHOWN = 200  # per consent, newest first


def _live_codes(now: datetime) -> tuple[ColumnElement[bool], ...]:
    return (
        ConsentCode.used_at.is_(None),
        ConsentCode.superseded.is_(False),
        ConsentCode.expires_at > now,
    )


def create_code(
    session: Session, resident: User, lasts: Lasts, now: datetime, request_key: str | None
) -> tuple[str, ConsentCode]:
    """A fresh code for ``resident``; their earlier unused codes stop working."""
    _forget_codes(
        session,
        session.scalars(
            select(ConsentCode).where(
                ConsentCode.resident_id == resident.id,
                ConsentCode.used_at.is_(None),
                ConsentCode.superseded.is_(False),
            )
        ).all(),
    )
    code = new_code()  # the resident's only live code now: their earlier ones just died
    row = ConsentCode(
        resident_id=resident.id,
        code_hash=hash_code(session_cipher(session), code),
        lasts=lasts.value,
        created_at=now,
        expires_at=now + CODE_TTL,
        request_key=request_key,
    )
    session.add(row)
    if request_key is not None:
        # The idempotency record holds the answer, code included, so that a retry gets the same
        # code; it must not outlive the code (the lazy purge drops it after expiry).
        record = session.get(IdempotencyRecord, (user_scope(resident.id), request_key))
        if record is not None:
            record.expires_at = row.expires_at
    session.flush()
    return code, row


def _forget_codes(session: Session, rows: list[ConsentCode] | tuple[ConsentCode, ...]) -> None:
    """Codes that can no longer be used: they die, and so does any stored answer showing one."""
    for row in rows:
        row.superseded = True
        if row.request_key is not None:
            session.execute(
                delete(IdempotencyRecord).where(
                    IdempotencyRecord.scope == user_scope(row.resident_id),
                    IdempotencyRecord.key == row.request_key,
                    IdempotencyRecord.state == "done",
                )
            )


def redeem(
    session: Session, helper: User, resident_phone: str, code_text: str, now: datetime
) -> Consent:
    """Turn a live code of the resident with ``resident_phone`` into a pending consent for
    ``helper``, which the resident is asked to confirm; the code is used up. Wrong, expired and
    used codes, and a phone with no such code (or no account), are one problem: nobody learns
    who has an account (the caller has counted the try: ``backend.proxy.limits``)."""
    code = code_text.strip()
    resident = get_user_by_phone(session, resident_phone)
    row = None
    if resident is not None and CODE.fullmatch(code):
        row = session.scalars(
            select(ConsentCode).where(
                ConsentCode.resident_id == resident.id,
                ConsentCode.code_hash == hash_code(session_cipher(session), code),
                *_live_codes(now),
            )
        ).first()
    if row is None or resident is None:
        raise errors.consent_code_invalid()
    if row.resident_id == helper.id:
        raise errors.own_consent()
    row.used_at = now
    _forget_codes(session, [row])
    lasts = Lasts(row.lasts)
    consent = Consent(
        id=str(uuid.uuid4()),
        resident_id=resident.id,
        helper_id=helper.id,
        lasts=lasts.value,
        granted_at=now,
        expires_at=now + CONFIRM_TTL,
        version=1,
    )
    session.add(consent)
    session.flush()
    notify_proxy_requested(
        session,
        resident,
        consent_id=consent.id,
        helper_name=helper.name or mask_phone(helper.phone),
        helper_phone=helper.phone,
        until=consent.expires_at,
        now=now,
    )
    return consent


def confirm(session: Session, consent: Consent, now: datetime) -> Consent:
    """The resident confirms a pending consent on their own device: it works from now, for as
    long as the code said, and the helper is told. An active one is answered as it is; one
    withdrawn, ended or expired cannot be confirmed any more (``403 consent_<state>``)."""
    state = consent.state(now)
    if state is ConsentState.PENDING:
        consent.confirmed_at = now
        consent.expires_at = now + LASTS[Lasts(consent.lasts)]
        consent.version += 1
        session.flush()
        resident = session.get(User, consent.resident_id)
        assert resident is not None  # the foreign key cascades
        notify_proxy_confirmed(
            session,
            consent.helper_id,
            consent_id=consent.id,
            resident_name=resident.name or mask_phone(resident.phone),
            now=now,
        )
    elif state is not ConsentState.ACTIVE:
        raise errors.consent_stopped(state.value)
    return consent


def get_consent(session: Session, consent_id: str) -> Consent | None:
    return session.get(Consent, consent_id)


def helper_consents(session: Session, helper: User, now: datetime) -> list[Consent]:
    """The helper's live consents (pending or active), newest first."""
    return list(
        session.scalars(
            select(Consent)
            .where(
                Consent.helper_id == helper.id,
                Consent.end_reason.is_(None),
                Consent.expires_at > now,
            )
            .order_by(Consent.granted_at.desc(), Consent.id)
        )
    )


def resident_consents(session: Session, resident: User) -> list[Consent]:
    """Every consent the resident ever granted, newest first."""
    return list(
        session.scalars(
            select(Consent)
            .where(Consent.resident_id == resident.id)
            .order_by(Consent.granted_at.desc(), Consent.id)
        )
    )


def actions_of(session: Session, consent_ids: list[str]) -> dict[str, list[ProxyAction]]:
    """What was done under each consent, newest first."""
    found: dict[str, list[ProxyAction]] = {cid: [] for cid in consent_ids}
    if not consent_ids:
        return found
    rows = session.scalars(
        select(ProxyAction)
        .where(ProxyAction.consent_id.in_(consent_ids))
        .order_by(ProxyAction.at.desc(), ProxyAction.id.desc())
    )
    for row in rows:
        if len(found[row.consent_id]) < ACTIONS_SHOWN:
            found[row.consent_id].append(row)
    return found


def end(session: Session, consent: Consent, reason: ConsentState, now: datetime) -> Consent:
    """Withdrawn (resident: also refusing one still pending) or ended (helper) now; a consent
    no longer live stays as it is."""
    if consent.state(now) in (ConsentState.PENDING, ConsentState.ACTIVE):
        consent.end_reason = reason.value
        consent.ended_at = now
        consent.version += 1
        session.flush()
    return consent


def record_action(
    session: Session,
    consent_id: str,
    helper_id: int,
    resident_id: int,
    kind: str,
    target: dict[str, str],
    request_key: str | None,
    now: datetime,
) -> None:
    session.add(
        ProxyAction(
            consent_id=consent_id,
            actor_id=helper_id,
            subject_id=resident_id,
            kind=kind,
            target=target,
            request_key=request_key,
            at=now,
        )
    )
