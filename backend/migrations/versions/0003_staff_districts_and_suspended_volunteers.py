"""Staff districts and suspended volunteers: existing staff have no district until one is given
(python -m backend grant-staff).

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("staff_districts", sa.JSON(), nullable=True))

    with op.batch_alter_table("volunteers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("suspended_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("suspended_by", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("suspended_reason", sa.String(length=200), nullable=True))
        batch_op.create_foreign_key(
            "fk_volunteers_suspended_by_users",
            "users",
            ["suspended_by"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("volunteers", schema=None) as batch_op:
        batch_op.drop_constraint("fk_volunteers_suspended_by_users", type_="foreignkey")
        batch_op.drop_column("suspended_reason")
        batch_op.drop_column("suspended_by")
        batch_op.drop_column("suspended_at")

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("staff_districts")
