"""problem maintainers: instructors granted a problem they do not own

Revision ID: 0005_integrity
Revises: 0001
Create Date: 2026-12-01

Bundled problems belong to an admin (or to no one: then only admins manage them);
an instructor manages one only through a row here.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_integrity"
down_revision: str | None = "0003_webhooks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "problem_maintainers",
        sa.Column("problem_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["problem_id"], ["problems.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("problem_id", "user_id"),
    )


def downgrade() -> None:
    op.drop_table("problem_maintainers")
