"""Catalogue data functions. Each takes a Session; the caller owns the transaction (commit).

Every write first takes the change-feed lock (an UPDATE of the meta row) and only then reads:
this makes writers queue on SQLite's busy timeout / PostgreSQL's row lock, and guarantees that
seq numbers are handed out in commit order, so a reader can never skip a change that commits
late with a smaller seq.
"""

import json
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.models import META_ROW_ID, CatalogItem, CatalogKind, CatalogMeta, utcnow


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
