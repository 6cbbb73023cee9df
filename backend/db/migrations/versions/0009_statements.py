"""problem versions keep their statements in other languages (statement.<lang>.md)

Revision ID: 0009_statements
Revises: 0008_practice
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_statements"
down_revision: str | None = "0008_practice"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable: versions stored before this revision have only statement_md.
    with op.batch_alter_table("problem_versions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("statements", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("problem_versions", schema=None) as batch_op:
        batch_op.drop_column("statements")
