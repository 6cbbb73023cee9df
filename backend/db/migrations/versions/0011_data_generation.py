"""a data generation: one counter that every writing transaction moves on commit

The read cache (`backend.api.read_cache`) keeps an answer only while this value is
the one it was computed under; the row is made here, so the counter exists before
the first write.

Revision ID: 0011_data_generation
Revises: 0010_enums
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_data_generation"
down_revision: str | None = "0010_enums"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    table = op.create_table(
        "data_generation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.bulk_insert(table, [{"id": 1, "value": 0}])


def downgrade() -> None:
    op.drop_table("data_generation")
