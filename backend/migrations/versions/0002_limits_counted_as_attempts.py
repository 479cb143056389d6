"""Sign-in and consent limits counted as attempts: the guard tables go, codes are swept.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_table("consent_guards")
    op.drop_table("login_guards")
    with op.batch_alter_table("login_codes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_login_codes_expires_at"), ["expires_at"], unique=False)
        batch_op.drop_column("used")


def downgrade() -> None:
    with op.batch_alter_table("login_codes", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("used", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.drop_index(batch_op.f("ix_login_codes_expires_at"))

    op.create_table(
        "login_guards",
        sa.Column("phone", sa.String(length=11), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_start", sa.DateTime(), nullable=True),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("phone"),
    )
    op.create_table(
        "consent_guards",
        sa.Column("helper_id", sa.Integer(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_start", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["helper_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("helper_id"),
    )
