"""Storage rows (SQLAlchemy) and wire shapes (pydantic): the catalogue, accounts and "me" data.

A catalogue row holds only the *latest* state of one item plus the global ``seq`` of its last
change, so "everything after cursor S" is simply ``seq > S ORDER BY seq``.
"""

import re
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from sqlalchemy import (
    JSON,
    BigInteger,
    Connection,
    DateTime,
    Dialect,
    ForeignKey,
    Integer,
    String,
    Text,
    TypeDecorator,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from backend.core.sealed import Sealed, SealedBytes, SealedJSON, cipher_of
from backend.core.security import mask_id_number, normalise_phone


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


class CatalogSeeded(Base):
    """A kind the seed files have filled (or found filled): it is never seeded again, even if
    all its items are later deleted and their tombstones purged."""

    __tablename__ = "catalog_seeded"

    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# The largest INTEGER primary key (PostgreSQL's int4): ids from outside are checked against it,
# so a bigger one is a 422 (or simply not found), never a database error.
ROW_ID_MAX = 2**31 - 1


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite drops the zone; we put UTC back)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime stored; use aware UTC")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Role(StrEnum):
    RESIDENT = "resident"
    VOLUNTEER = "volunteer"
    STAFF = "staff"


class User(Base):
    """A person who signs in with a phone number; ``version`` is the ETag of GET /me."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    phone: Mapped[str] = mapped_column(Sealed("users.phone"))
    # The phone's blind index (FieldCipher.index): how a phone is looked up; set on every write.
    phone_index: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    name: Mapped[str] = mapped_column(Sealed("users.name"), default="")
    roles: Mapped[list[str]] = mapped_column(JSON, default=lambda: [Role.RESIDENT.value])
    id_number: Mapped[str | None] = mapped_column(Sealed("users.id_number"))
    address: Mapped[str | None] = mapped_column(Sealed("users.address"))
    emergency_contact: Mapped[str | None] = mapped_column(Sealed("users.emergency_contact"))
    # What matching needs to know (hukou, certificate, level, ...; see FactsPublic). Only known
    # facts are stored: an absent key is unknown. NULL in rows from before the column existed.
    facts: Mapped[dict[str, Any] | None] = mapped_column(SealedJSON("users.facts"), default=dict)
    # Staff only: the districts (6-digit codes) whose events, doors and volunteers this staff
    # member runs (backend.staff). Staff without districts can do nothing as staff.
    staff_districts: Mapped[list[str] | None] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(default=1)
    example_data: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


@event.listens_for(User, "before_insert")
@event.listens_for(User, "before_update")
def _index_phone(_mapper: Any, connection: Connection, user: User) -> None:
    """The phone's blind index follows the phone on every write (lookups use only the index)."""
    user.phone_index = cipher_of(connection.dialect).index(user.phone)


class LoginCode(Base):
    """A one-time sign-in code; only its hash is kept."""

    __tablename__ = "login_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    phone_index: Mapped[str] = mapped_column(String(64), index=True)  # the phone's blind index
    code_hash: Mapped[str] = mapped_column(String(96))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class AuthToken(Base):
    """An access or refresh token, stored as the sha256 of the opaque value handed out.

    ``family`` links every token descended from one sign-in through refresh rotation.
    """

    __tablename__ = "auth_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # "access" | "refresh"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    family: Mapped[str] = mapped_column(String(32), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # refresh: rotated away
    revoked: Mapped[bool] = mapped_column(default=False)


class IdempotencyRecord(Base):
    """Idempotency-Key -> first response, per caller scope (see ``backend.idempotency``)."""

    __tablename__ = "idempotency_records"

    scope: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(36), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16))  # "in_progress" | "done"
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    status: Mapped[int | None] = mapped_column(Integer)
    body: Mapped[bytes | None] = mapped_column(SealedBytes("idempotency_records.body"))
    headers: Mapped[dict[str, str] | None] = mapped_column(JSON)


class ServiceRecord(Base):
    """A service application the user made (办事记录)."""

    __tablename__ = "service_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    service_id: Mapped[str] = mapped_column(String(128))
    service_name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(32))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    note: Mapped[str | None] = mapped_column(Sealed("service_records.note"))
    example_data: Mapped[bool] = mapped_column(default=False)


class Visit(Base):
    """A visit or follow-up by staff or a volunteer (访客记录)."""

    __tablename__ = "visits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    visitor_name: Mapped[str] = mapped_column(Sealed("visits.visitor_name"))
    visited_at: Mapped[datetime] = mapped_column(UTCDateTime)
    summary: Mapped[str] = mapped_column(Sealed("visits.summary"))
    follow_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    example_data: Mapped[bool] = mapped_column(default=False)


class Benefit(Base):
    """A benefit granted without applying (免申即享)."""

    __tablename__ = "benefits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    service_id: Mapped[str] = mapped_column(String(128))
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(32))
    amount_yuan_per_month: Mapped[int | None] = mapped_column(Integer)
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    description: Mapped[str | None] = mapped_column(Text)
    example_data: Mapped[bool] = mapped_column(default=False)


class InboxItem(Base):
    """A policy pushed to the user (政策找人), which they may answer."""

    __tablename__ = "inbox_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    service_id: Mapped[str | None] = mapped_column(String(128))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Sealed("inbox_items.body"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answer: Mapped[str | None] = mapped_column(String(32))
    answer_note: Mapped[str | None] = mapped_column(Sealed("inbox_items.answer_note"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    example_data: Mapped[bool] = mapped_column(default=False)


class ActivityEntry(Base):
    """One thing a user's account did, written in the same transaction as the change itself.

    The person's own record of their actions (and, later, of who acted for them); it also lets
    tests count effects on the server: an action applied twice shows up as two entries.
    """

    __tablename__ = "activity"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    actor_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(32))
    target: Mapped[str | None] = mapped_column(String(64))
    request_key: Mapped[str | None] = mapped_column(String(36))
    at: Mapped[datetime] = mapped_column(UTCDateTime)


# --- wire ------------------------------------------------------------------------------------


class HealthPublic(BaseModel):
    status: Literal["ok"] = "ok"
    version: str
    epoch: str = Field(description="Identifies this database; changes when it is recreated.")


class ReadyPublic(BaseModel):
    status: Literal["ready"] = "ready"
    revision: str = Field(description="The database schema's Alembic revision (the newest).")


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


# --- wire: auth ------------------------------------------------------------------------------

PHONE_DESCRIPTION = "Mainland China mobile number: 11 digits, 1 then 3-9, e.g. 13800000001."


class _PhoneModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    phone: str = Field(
        max_length=32,
        description=PHONE_DESCRIPTION,
        examples=["13800000001"],
        # Documented, not enforced by pydantic: the validator below refuses with a sentence
        # a person can act on, instead of pydantic's "should match pattern".
        json_schema_extra={"pattern": r"^(?:\+86)?[ -]?1[3-9](?:[ -]?[0-9]){9}$"},
    )

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        return normalise_phone(value)


class CodeRequest(_PhoneModel):
    pass


class CodeSentPublic(BaseModel):
    expires_in: int = Field(description="Seconds the code stays valid.")
    resend_after: int = Field(description="Seconds before another code may be requested.")


class TokenRequest(_PhoneModel):
    code: str = Field(pattern=r"^\d{6}$", description="The 6-digit one-time code.")


class RefreshRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    refresh_token: str = Field(min_length=1, max_length=256)


class LogoutRequest(BaseModel):
    """The sign-in's refresh token: signs out a device whose access token has expired."""

    model_config = ConfigDict(extra="forbid")

    refresh_token: str = Field(min_length=1, max_length=256)


class TokenPairPublic(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds until the access token expires.")


# --- wire: me --------------------------------------------------------------------------------

DISTRICT_CODE_PATTERN = r"^3101[0-9]{2}$"  # a Shanghai district (assets/seed/districts.json)
_ID_BIRTH_DATE = re.compile(r"[0-9]{6}([0-9]{8})[0-9]{3}[0-9Xx]")

HukouFact = Literal["shanghai", "other"]
CategoryFact = Literal[
    "vision", "hearing", "speech", "physical", "intellectual", "mental", "multiple"
]
LowIncomeFact = Literal["dibao", "low_income", "none"]
EmploymentFact = Literal["employed", "unemployed", "retired"]


class _FactFields(BaseModel):
    """What eligibility matching needs to know; every fact may be null = unknown."""

    hukou: HukouFact | None = Field(
        default=None, description="Household registration (户籍): in Shanghai or elsewhere."
    )
    certificate: bool | None = Field(default=None, description="Holds a disability certificate.")
    category: CategoryFact | None = Field(
        default=None, description="Disability category on the certificate (视力 … 多重)."
    )
    level: int | None = Field(
        default=None, ge=1, le=4, description="Disability level: 1 (most severe) to 4."
    )
    low_income: LowIncomeFact | None = Field(
        default=None, description="Household receives 低保 (dibao), is 低收入, or neither."
    )
    employment: EmploymentFact | None = None
    student: bool | None = None
    district: str | None = Field(
        default=None,
        pattern=DISTRICT_CODE_PATTERN,
        description="District of residence: a 6-digit code such as 310101.",
    )


class FactsPublic(_FactFields):
    birth_date: date | None = Field(
        default=None,
        description="From the ID number on record unless set by staff; not changeable by PATCH.",
    )

    @classmethod
    def of(cls, user: "User") -> "FactsPublic":
        facts = cls.model_validate(user.facts or {})
        if facts.birth_date is None:
            facts.birth_date = birth_date_from_id_number(user.id_number)
        return facts


class FactsPatch(_FactFields):
    """The facts to change; a fact given as null is forgotten (unknown), others are kept."""

    # Strict: JSON true is a boolean, 2 an integer; "true" and "2" are refused, as documented.
    model_config = ConfigDict(extra="forbid", strict=True)


def birth_date_from_id_number(id_number: str | None) -> date | None:
    """Positions 7-14 of an 18-digit resident ID number (GB 11643), if they are a real date."""
    match = _ID_BIRTH_DATE.fullmatch(id_number or "")
    if match is None:
        return None
    try:
        return datetime.strptime(match.group(1), "%Y%m%d").date()
    except ValueError:
        return None


class MePublic(BaseModel):
    id: int
    phone: str
    name: str
    roles: list[Role]
    id_number: str | None = Field(description="Masked: first 3 and last 4 characters shown.")
    address: str | None
    emergency_contact: str | None
    facts: FactsPublic
    version: int
    example_data: bool

    @classmethod
    def of(cls, user: User) -> "MePublic":
        return cls(
            id=user.id,
            phone=user.phone,
            name=user.name,
            roles=[Role(r) for r in user.roles],
            id_number=mask_id_number(user.id_number),
            address=user.address,
            emergency_contact=user.emergency_contact,
            facts=FactsPublic.of(user),
            version=user.version,
            example_data=user.example_data,
        )


class MePatch(BaseModel):
    """Contact fields and facts; anything else is a 422. ``facts`` is merged key by key."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"minProperties": 1})

    address: str | None = Field(default=None, max_length=200)
    emergency_contact: str | None = Field(default=None, max_length=100)
    facts: FactsPatch | None = Field(
        default=None,
        description=(
            "Only the facts given change: a value sets it, null forgets it (unknown); facts "
            "not given are kept. `facts: null` or `{}` changes no fact."
        ),
    )

    @model_validator(mode="after")
    def _not_empty(self) -> "MePatch":
        if not self.model_fields_set:
            raise ValueError("give at least one of: address, emergency_contact, facts")
        return self


class _Row(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class ServiceRecordPublic(_Row):
    id: int
    service_id: str
    service_name: str
    status: Literal["submitted", "in_review", "completed", "rejected"]
    submitted_at: datetime
    updated_at: datetime
    note: str | None
    example_data: bool


class VisitPublic(_Row):
    id: int
    kind: Literal["home_visit", "phone_call", "follow_up"]
    visitor_name: str
    visited_at: datetime
    summary: str
    follow_up_at: datetime | None
    example_data: bool


class BenefitPublic(_Row):
    id: int
    service_id: str
    title: str
    status: Literal["active", "ended"]
    amount_yuan_per_month: int | None
    granted_at: datetime
    description: str | None
    example_data: bool


InboxAnswer = Literal["interested", "not_interested", "need_help"]


class InboxItemPublic(_Row):
    id: int
    service_id: str | None
    title: str
    body: str
    created_at: datetime
    answer: InboxAnswer | None
    answer_note: str | None
    answered_at: datetime | None
    example_data: bool


class InboxReply(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answer: InboxAnswer
    note: str | None = Field(default=None, max_length=500)


class ServiceRecordList(BaseModel):
    items: list[ServiceRecordPublic]


class VisitList(BaseModel):
    items: list[VisitPublic]


class BenefitList(BaseModel):
    items: list[BenefitPublic]


class InboxList(BaseModel):
    items: list[InboxItemPublic]


class ActivityPublic(_Row):
    id: int
    action: Literal[
        "profile_changed",
        "inbox_replied",
        "trip_requested",
        "trip_claimed",
        "trip_cancelled",
        "trip_started",
        "trip_completed",
        "trip_released",
        "trip_rated",
        "volunteer_registered",
        "volunteer_verified",
        "volunteer_suspended",
        "volunteer_reinstated",
    ]
    target: str | None
    acted_for_me_by: int | None = Field(description="Another user who acted for me, if any.")
    at: datetime

    @classmethod
    def of(cls, entry: ActivityEntry) -> "ActivityPublic":
        return cls(
            id=entry.id,
            action=entry.action,  # type: ignore[arg-type]  # only the literals are written
            target=entry.target,
            acted_for_me_by=None if entry.actor_user_id == entry.user_id else entry.actor_user_id,
            at=entry.at,
        )


class ActivityList(BaseModel):
    items: list[ActivityPublic]
