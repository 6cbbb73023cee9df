"""test results say what their shown files are (text or binary, and the size)

The closed sets (role, status, state, verdict, type, difficulty, visibility) became
non-native `Enum` columns in the same revision of the models; they keep the width of
the String columns they replaced and add no CHECK constraint, so the stored schema
does not change for them. What changes is one nullable JSON column: `views`, the
`ShownData` of a sample's input, expected and actual output, which the UI used to
guess from a placeholder string.

Revision ID: 0010_enums
Revises: 0009_statements
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_enums"
down_revision: str | None = "0009_statements"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable: rows stored before this revision (and hidden tests) have no views.
    with op.batch_alter_table("test_results", schema=None) as batch_op:
        batch_op.add_column(sa.Column("views", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("test_results", schema=None) as batch_op:
        batch_op.drop_column("views")
