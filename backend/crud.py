"""Data functions. Each takes a Session; the caller owns the transaction (commit).

Catalogue:

Every write first takes the change-feed lock (an UPDATE of the meta row) and only then reads:
this makes writers queue on SQLite's busy timeout / PostgreSQL's row lock, and guarantees that
seq numbers are handed out in commit order, so a reader can never skip a change that commits
late with a smaller seq.
"""

import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.core import security
from backend.core.sealed import session_cipher
from backend.models import (
    META_ROW_ID,
    ActivityEntry,
    AuthToken,
    Benefit,
    CatalogItem,
    CatalogKind,
    CatalogMeta,
    CatalogSeeded,
    InboxItem,
    LoginCode,
    Role,
    ServiceRecord,
    User,
    Visit,
    utcnow,
)


@dataclass(frozen=True)
class ChangeBatch:
    """One page of the change feed, oldest first."""

    items: list[CatalogItem]
    has_more: bool


# --- feed metadata ---------------------------------------------------------------------------


def ensure_meta(session: Session) -> CatalogMeta:
    """Create the meta row (with a fresh random epoch) if this database has none yet; commits."""
    meta = session.get(CatalogMeta, META_ROW_ID)
    if meta is not None:
        return meta
    session.add(CatalogMeta(id=META_ROW_ID, epoch=secrets.token_hex(8), last_seq=0, horizon_seq=0))
    try:
        session.commit()
    except IntegrityError:  # another process created it first; theirs wins
        session.rollback()
    return get_meta(session)


def get_meta(session: Session) -> CatalogMeta:
    """The feed's meta row, re-read so a row cached by an earlier transaction is never used."""
    meta = session.get(CatalogMeta, META_ROW_ID, populate_existing=True)
    if meta is None:
        raise LookupError("catalogue meta row missing; call ensure_meta() first")
    return meta


def get_epoch(session: Session) -> str:
    return get_meta(session).epoch


def lock_feed(session: Session) -> None:
    """Take the writer lock before any read in this transaction (see module docstring)."""
    session.execute(
        update(CatalogMeta)
        .where(CatalogMeta.id == META_ROW_ID)
        .values(last_seq=CatalogMeta.last_seq)
    )


def _next_seq(session: Session) -> int:
    return session.execute(
        update(CatalogMeta)
        .where(CatalogMeta.id == META_ROW_ID)
        .values(last_seq=CatalogMeta.last_seq + 1)
        .returning(CatalogMeta.last_seq)
    ).scalar_one()


# --- items -----------------------------------------------------------------------------------


def canonical_json(data: dict[str, Any]) -> str:
    """Stable text for a payload, so key order never counts as a change."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def get_item(session: Session, kind: CatalogKind | str, id: str) -> CatalogItem | None:
    return session.get(CatalogItem, (CatalogKind(kind).value, id))


def has_history(session: Session) -> bool:
    """True once any change was ever recorded (even if its tombstone was purged since)."""
    return get_meta(session).last_seq > 0


def kind_has_history(session: Session, kind: CatalogKind | str) -> bool:
    """True once the kind was seeded, or any item of it was ever stored (tombstones count)."""
    kind = CatalogKind(kind).value
    if session.get(CatalogSeeded, kind) is not None:
        return True
    return (
        session.scalars(select(CatalogItem.id).where(CatalogItem.kind == kind).limit(1)).first()
        is not None
    )


def mark_seeded(session: Session, kind: CatalogKind | str) -> None:
    """Remember that ``kind`` has been seeded (call with the feed lock held)."""
    kind = CatalogKind(kind).value
    if session.get(CatalogSeeded, kind) is None:
        session.add(CatalogSeeded(kind=kind))
        session.flush()


def upsert_item(
    session: Session, kind: CatalogKind | str, id: str, data: dict[str, Any]
) -> CatalogItem:
    """Create or replace an item; a new version and seq only when ``data`` actually changed."""
    kind = CatalogKind(kind)
    text = canonical_json(data)
    lock_feed(session)
    item = get_item(session, kind, id)
    if item is not None and not item.deleted and item.data == text:
        return item
    seq = _next_seq(session)
    if item is None:
        item = CatalogItem(kind=kind.value, id=id, version=1, deleted=False, data=text, seq=seq)
        session.add(item)
    else:
        item.version += 1
        item.deleted = False
        item.data = text
        item.seq = seq
        item.updated_at = utcnow()
    session.flush()
    return item


def delete_item(session: Session, kind: CatalogKind | str, id: str) -> CatalogItem | None:
    """Turn an item into a tombstone (kept until purged so clients learn of the delete).

    Returns None when there is no such item; deleting a tombstone again changes nothing.
    """
    kind = CatalogKind(kind)
    lock_feed(session)
    item = get_item(session, kind, id)
    if item is None or item.deleted:
        return item
    item.seq = _next_seq(session)
    item.version += 1
    item.deleted = True
    item.data = None
    item.updated_at = utcnow()
    session.flush()
    return item


# --- feed ------------------------------------------------------------------------------------


def changes_since(session: Session, after_seq: int, limit: int) -> ChangeBatch:
    """Items whose latest change is after ``after_seq``, oldest first, at most ``limit``."""
    rows = session.scalars(
        select(CatalogItem)
        .where(CatalogItem.seq > after_seq)
        .order_by(CatalogItem.seq)
        .limit(limit + 1)
    ).all()
    return ChangeBatch(items=list(rows[:limit]), has_more=len(rows) > limit)


def purge_tombstones(session: Session, up_to_seq: int) -> int:
    """Forget tombstones with seq <= ``up_to_seq`` and raise the horizon to match.

    Cursors older than the new horizon then expire (410): their holders might have missed a
    delete that is no longer on record, so they must resync from scratch. Returns rows removed.
    """
    lock_feed(session)
    meta = get_meta(session)
    horizon = max(meta.horizon_seq, min(up_to_seq, meta.last_seq))
    result = session.execute(
        delete(CatalogItem).where(CatalogItem.deleted.is_(True), CatalogItem.seq <= horizon)
    )
    meta.horizon_seq = horizon
    session.flush()
    return result.rowcount


# --- accounts --------------------------------------------------------------------------------

CODE_TTL = timedelta(minutes=5)
CODE_RESEND_INTERVAL = timedelta(seconds=30)
ACCESS_TTL = timedelta(minutes=15)
REFRESH_TTL = timedelta(days=30)


def get_user_by_phone(session: Session, phone: str) -> User | None:
    """Found by the phone's blind index, under any key of the ring (the rows are re-indexed
    under the newest by ``python -m backend rotate-keys``)."""
    indexes = session_cipher(session).indexes(phone)
    return session.scalars(select(User).where(User.phone_index.in_(indexes))).one_or_none()


def get_or_create_user(session: Session, phone: str) -> User:
    """The user with this phone; a new resident on first sign-in."""
    user = get_user_by_phone(session, phone)
    if user is None:
        user = User(phone=phone, name="", roles=[Role.RESIDENT.value], version=1)
        session.add(user)
        session.flush()
    return user


def code_resend_wait(session: Session, phone: str, now: datetime) -> timedelta | None:
    """How long until this phone may get another code, or None if it may now."""
    last = session.scalars(
        select(LoginCode.created_at)
        .where(LoginCode.phone_index == _phone_index(session, phone))
        .order_by(LoginCode.created_at.desc())
        .limit(1)
    ).first()
    if last is None or now - last >= CODE_RESEND_INTERVAL:
        return None
    return CODE_RESEND_INTERVAL - (now - last)


def issue_code(session: Session, phone: str, now: datetime) -> tuple[str, LoginCode]:
    """A fresh one-time code for ``phone`` and its row. Codes sent earlier keep working until
    they expire: a text that arrives late (or second) must not be a dead code."""
    phone_index = _phone_index(session, phone)
    session.execute(
        delete(LoginCode).where(LoginCode.phone_index == phone_index, LoginCode.expires_at <= now)
    )
    code = security.new_code()
    row = LoginCode(
        phone_index=phone_index,
        code_hash=security.new_code_hash(session_cipher(session), phone, code),
        created_at=now,
        expires_at=now + CODE_TTL,
    )
    session.add(row)
    session.flush()
    return code, row


def withdraw_code(session: Session, code_id: int) -> None:
    """A code whose text never went out: gone, and with it the wait before the next one."""
    session.execute(delete(LoginCode).where(LoginCode.id == code_id))


def consume_code(session: Session, phone: str, code: str, now: datetime) -> bool:
    """True (and the phone's codes are spent) if ``code`` is a live code for ``phone``."""
    live = LoginCode.phone_index == _phone_index(session, phone), LoginCode.expires_at > now
    rows = session.scalars(select(LoginCode).where(*live)).all()
    cipher = session_cipher(session)
    if any(security.code_matches(cipher, row.code_hash, phone, code) for row in rows):
        forget_codes(session, phone)  # signed in: the other codes sent to this phone die too
        return True
    return False


def forget_codes(session: Session, phone: str) -> None:
    session.execute(delete(LoginCode).where(LoginCode.phone_index == _phone_index(session, phone)))


def _phone_index(session: Session, phone: str) -> str:
    """A code's phone, as its blind index under the current key (codes live minutes: one
    sent before a rotation is simply asked for again)."""
    return session_cipher(session).index(phone)


def any_expired_codes(session: Session, now: datetime) -> bool:
    """Whether ``purge_expired_codes`` has anything to do (a cheap indexed read)."""
    expired = select(LoginCode.id).where(LoginCode.expires_at <= now).limit(1)
    return session.scalar(expired) is not None


def purge_expired_codes(session: Session, now: datetime) -> int:
    """Delete codes that expired unused (texts to phones that never signed in)."""
    return session.execute(delete(LoginCode).where(LoginCode.expires_at <= now)).rowcount


def issue_tokens(session: Session, user_id: int, family: str, now: datetime) -> tuple[str, str]:
    """A new (access, refresh) pair in ``family``; only hashes are stored."""
    access, refresh = security.new_token(), security.new_token()
    for token, kind, ttl in ((access, "access", ACCESS_TTL), (refresh, "refresh", REFRESH_TTL)):
        session.add(
            AuthToken(
                token_hash=security.hash_token(session_cipher(session), token),
                kind=kind,
                user_id=user_id,
                family=family,
                created_at=now,
                expires_at=now + ttl,
            )
        )
    session.flush()
    return access, refresh


def new_token_family() -> str:
    return secrets.token_hex(16)


def revoke_family(session: Session, family: str) -> None:
    session.execute(update(AuthToken).where(AuthToken.family == family).values(revoked=True))


def revoke_unused(session: Session, family: str, kind: str | None = None) -> None:
    """Revoke the family's tokens not rotated away yet (all kinds, or only ``kind``)."""
    query = update(AuthToken).where(AuthToken.family == family, AuthToken.used_at.is_(None))
    if kind is not None:
        query = query.where(AuthToken.kind == kind)
    session.execute(query.values(revoked=True))


def find_token(session: Session, token: str, kind: str) -> AuthToken | None:
    hashes = security.token_hashes(session_cipher(session), token)
    row = session.scalars(select(AuthToken).where(AuthToken.token_hash.in_(hashes))).first()
    return row if row is not None and row.kind == kind else None


_ACCESS_TOKEN_USER = (
    select(AuthToken.revoked, AuthToken.expires_at, User)
    .join(User, User.id == AuthToken.user_id)
    .where(
        AuthToken.token_hash.in_(bindparam("hashes", expanding=True)), AuthToken.kind == "access"
    )
    .limit(1)
)  # built once: every request asks, and building the statement cost a third of the lookup


def user_for_access_token(session: Session, token: str, now: datetime) -> User | None:
    """The user of an unexpired, unrevoked access token, in one query (every request asks)."""
    hashes = security.token_hashes(session_cipher(session), token)
    row = session.execute(_ACCESS_TOKEN_USER, {"hashes": hashes}).first()
    if row is None or row.revoked or row.expires_at <= now:
        return None
    return row.User


# --- me --------------------------------------------------------------------------------------


OwnedRow = TypeVar("OwnedRow", ServiceRecord, Visit, Benefit, InboxItem, ActivityEntry)


def _own_rows(session: Session, model: type[OwnedRow], user_id: int, when: Any) -> list[OwnedRow]:
    """One user's rows of ``model``, newest first: the owner filter lives in this one place."""
    return list(
        session.scalars(
            select(model).where(model.user_id == user_id).order_by(when.desc(), model.id.desc())
        )
    )


def list_service_records(session: Session, user_id: int) -> list[ServiceRecord]:
    return _own_rows(session, ServiceRecord, user_id, ServiceRecord.submitted_at)


def list_visits(session: Session, user_id: int) -> list[Visit]:
    return _own_rows(session, Visit, user_id, Visit.visited_at)


def list_benefits(session: Session, user_id: int) -> list[Benefit]:
    return _own_rows(session, Benefit, user_id, Benefit.granted_at)


def list_inbox(session: Session, user_id: int) -> list[InboxItem]:
    return _own_rows(session, InboxItem, user_id, InboxItem.created_at)


def list_activity(session: Session, user_id: int) -> list[ActivityEntry]:
    return _own_rows(session, ActivityEntry, user_id, ActivityEntry.at)


def record_activity(
    session: Session,
    user: User,
    action: str,
    *,
    target: str | None,
    request_key: str | None,
    now: datetime,
    actor: User | None = None,
) -> None:
    """Log an action in the caller's transaction, so it exists exactly when the effect does."""
    session.add(
        ActivityEntry(
            user_id=user.id,
            actor_user_id=(actor or user).id,
            action=action,
            target=target,
            request_key=request_key,
            at=now,
        )
    )


def merge_facts(user: User, changes: dict[str, Any]) -> None:
    """Apply a facts patch: a value sets a fact, None forgets it, facts not given are kept.

    A new dict is assigned (not changed in place) so the JSON column sees the change.
    """
    merged = dict(user.facts or {})
    for name, value in changes.items():
        if value is None:
            merged.pop(name, None)
        else:
            merged[name] = value
    user.facts = merged


def get_own_inbox_item(session: Session, user_id: int, item_id: int) -> InboxItem | None:
    """The item only if it belongs to ``user_id``: someone else's looks exactly like none."""
    return session.scalars(
        select(InboxItem).where(InboxItem.id == item_id, InboxItem.user_id == user_id)
    ).one_or_none()
