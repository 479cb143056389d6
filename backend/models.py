"""Storage rows (SQLAlchemy) and wire shapes (pydantic) for the catalogue.

A catalogue row holds only the *latest* state of one item plus the global ``seq`` of its last
change, so "everything after cursor S" is simply ``seq > S ORDER BY seq``.
"""

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import BigInteger, DateTime, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> datetime:
    return datetime.now(UTC)


class CatalogKind(StrEnum):
    """Kinds of catalogue items the client mirrors offline."""

    SERVICE = "service"
    POLICY = "policy"
    INSTITUTION = "institution"
    DISTRICT = "district"
    EVENT = "event"
    RULE = "rule"


# --- storage ---------------------------------------------------------------------------------


class Base(DeclarativeBase):
    pass


class CatalogItem(Base):
    """Latest state of one catalogue item; a tombstone once deleted (``data`` is then NULL)."""

    __tablename__ = "catalog_items"

    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    version: Mapped[int] = mapped_column(default=1)
    deleted: Mapped[bool] = mapped_column(default=False)
    # Canonical JSON text (sorted keys), so "unchanged" is a string comparison.
    data: Mapped[str | None] = mapped_column(Text)
    seq: Mapped[int] = mapped_column(BigInteger, index=True, unique=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CatalogMeta(Base):
    """The single row describing this database's change feed."""

    __tablename__ = "meta"

    id: Mapped[int] = mapped_column(primary_key=True)  # always META_ROW_ID
    # Random per database: a cursor minted by another database (or a reset one) is recognisable.
    epoch: Mapped[str] = mapped_column(String(64))
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    # Tombstones with seq <= horizon_seq were purged; cursors older than this cannot be served.
    horizon_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


META_ROW_ID = 1


# --- wire ------------------------------------------------------------------------------------


class HealthPublic(BaseModel):
    status: Literal["ok"] = "ok"
    version: str
    epoch: str = Field(description="Identifies this database; changes when it is recreated.")


class CatalogChangePublic(BaseModel):
    """Latest state of one item; ``deleted`` items carry ``data: null``."""

    kind: CatalogKind
    id: str
    version: int
    deleted: bool
    data: dict[str, Any] | None


class CatalogChangesPublic(BaseModel):
    changes: list[CatalogChangePublic]
    next_cursor: str = Field(description="Opaque; pass it back as `cursor` on the next call.")
    has_more: bool = Field(description="True when another page is ready right now.")
