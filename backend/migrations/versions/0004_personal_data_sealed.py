"""Personal data sealed with SM4 (backend.core.sealed); phones looked up by blind index; codes and
tokens hashed under the key file's pepper; the keys' check values (backend.core.key_checks).

Existing rows are sealed in place under the current key. Secrets hashed before the pepper can no
longer be checked, so sign-in and consent codes, tokens (everyone signs in again) and attempt
counts are deleted. Needs the key ring: the engine must come from create_db_engine(url, keys).

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# Application code, against env.py's rule: sealing is the key ring's, and must match what
# the server reads (backend.core.reseal keeps working on this frozen list of columns).
from backend.core.reseal import SealedColumns, reindex_phones, reseal
from backend.core.sealed import cipher_of

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# What this revision seals, frozen here (the models may seal more later, in later revisions).
SEALED = (
    SealedColumns(
        "users", ["id"], ["phone", "name", "id_number", "address", "emergency_contact", "facts"]
    ),
    SealedColumns(
        "volunteers", ["user_id"], ["real_name", "id_number", "phone", "suspended_reason"]
    ),
    SealedColumns(
        "trips", ["id"], ["from_place", "to_place", "contact_phone", "notes", "code_word"]
    ),
    SealedColumns("trip_ratings", ["id"], ["comment"]),
    SealedColumns("event_signups", ["id"], ["excuse_note", "appeal_text", "appeal_note"]),
    SealedColumns("notifications", ["id"], ["data", "sms_phone", "sms_text"]),
    SealedColumns("idempotency_records", ["scope", "key"], ["body"]),
    SealedColumns("service_records", ["id"], ["note"]),
    SealedColumns("visits", ["id"], ["visitor_name", "summary"]),
    SealedColumns("inbox_items", ["id"], ["body", "answer_note"]),
)
# How PostgreSQL turns the columns that were not text into text (SQLite copies the table and
# keeps the values).
_AS_TEXT = {
    ("users", "facts"): "facts::text",
    ("notifications", "data"): "data::text",
    ("idempotency_records", "body"): "translate(encode(body, 'base64'), E'\\n', '')",
}


def upgrade() -> None:
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    op.create_table(
        "key_checks",
        sa.Column("key_id", sa.String(length=32), nullable=False),
        sa.Column("check_value", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("key_id"),
    )
    for secrets_table in ("auth_tokens", "login_codes", "consent_codes", "attempt_counts"):
        op.execute(sa.text(f"DELETE FROM {secrets_table}"))

    with op.batch_alter_table("login_codes", schema=None) as batch_op:
        batch_op.drop_index("ix_login_codes_phone")
        batch_op.drop_column("phone")
        batch_op.add_column(sa.Column("phone_index", sa.String(length=64), nullable=False))
        batch_op.create_index("ix_login_codes_phone_index", ["phone_index"], unique=False)

    # users.phone was unique; its blind index is now (the unnamed constraint gets a name
    # on SQLite, where the table is copied; PostgreSQL named it itself).
    naming = {"uq": "uq_%(table_name)s_%(column_0_name)s"}
    with op.batch_alter_table("users", schema=None, naming_convention=naming) as batch_op:
        batch_op.drop_constraint("users_phone_key" if postgres else "uq_users_phone", "unique")
        batch_op.add_column(sa.Column("phone_index", sa.String(length=64), nullable=True))

    for spec in SEALED:
        with op.batch_alter_table(spec.table, schema=None) as batch_op:
            for name in spec.columns:
                using = _AS_TEXT.get((spec.table, name))
                batch_op.alter_column(name, type_=sa.Text(), postgresql_using=using)

    cipher = cipher_of(bind.dialect)
    reseal(bind, cipher, SEALED)
    reindex_phones(bind, cipher)

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column("phone_index", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_index("ix_users_phone_index", ["phone_index"], unique=True)


def downgrade() -> None:
    raise NotImplementedError(
        "sealed data is not unsealed by a downgrade: restore the backup taken before upgrading"
    )
