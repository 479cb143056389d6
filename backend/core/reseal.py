"""Sealing the rows of a table in place: plain values (written before encryption existed) are
sealed, values under an older key are sealed again under the current one (key rotation), and
the phones' blind indexes are recomputed.

Used by the migration that introduced sealed columns (with its own frozen list of columns)
and by ``python -m backend rotate-keys`` (with the models' list). Rows are read and written
raw, as the text the database holds, one update per row by primary key, all in the caller's
transaction: a failure leaves every row as it was.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, MetaData, column, select, table, update

from backend.core.crypto import FieldCipher
from backend.core.sealed import Sealed, is_sealed


@dataclass(frozen=True)
class SealedColumns:
    """The sealed columns of one table, and the columns of its primary key."""

    table: str
    key: Sequence[str]
    columns: Sequence[str]


def sealed_columns(metadata: MetaData) -> list[SealedColumns]:
    """Every table's sealed columns, as the models declare them."""
    found = []
    for model in metadata.sorted_tables:
        names = [c.name for c in model.columns if isinstance(c.type, Sealed)]
        if names:
            found.append(SealedColumns(model.name, [c.name for c in model.primary_key], names))
    return found


def reseal(connection: Connection, cipher: FieldCipher, tables: Iterable[SealedColumns]) -> int:
    """Seal what is plain or under an older key; returns how many values were rewritten."""
    rewritten = 0
    for spec in tables:
        raw = table(spec.table, *(column(n) for n in (*spec.key, *spec.columns)))
        rows = connection.execute(select(raw)).mappings().all()
        for row in rows:
            changes = {}
            for name in spec.columns:
                value = row[name]
                if value is None:
                    continue
                resealed = _resealed(cipher, value, f"{spec.table}.{name}")
                if resealed is not None:
                    changes[name] = resealed
            if changes:
                where = [raw.c[k] == row[k] for k in spec.key]
                connection.execute(update(raw).where(*where).values(**changes))
                rewritten += len(changes)
    return rewritten


def _resealed(cipher: FieldCipher, value: str | bytes, label: str) -> str | None:
    if isinstance(value, bytes):  # a body stored as a BLOB before it was sealed
        return cipher.encrypt(base64.b64encode(value).decode(), label)
    if not is_sealed(value):
        return cipher.encrypt(value, label)
    if cipher.key_of(value) == cipher.current:
        return None
    return cipher.encrypt(cipher.decrypt(value, label), label)


def reindex_phones(connection: Connection, cipher: FieldCipher) -> None:
    """Each user's phone index under the current key (the phone is read from its seal)."""
    users = table("users", column("id"), column("phone"), column("phone_index"))
    for user_id, phone in connection.execute(select(users.c.id, users.c.phone)).all():
        plain = cipher.decrypt(phone, "users.phone") if is_sealed(phone) else phone
        index = cipher.index(plain)
        connection.execute(update(users).where(users.c.id == user_id).values(phone_index=index))
