"""The pool stamp: a token replaced with every committed change to banks or questions, so workers' cached pools follow.

Revision ID: 0016_pool_stamp
Revises: 0015_previewjobs
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_pool_stamp"
down_revision = "0015_previewjobs"
branch_labels = None
depends_on = None


def upgrade():
    """Create pool_stamp (empty: its row appears with the first change)."""
    op.create_table(
        "pool_stamp",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pool_stamp")),
    )


def downgrade():
    """Drop pool_stamp."""
    op.drop_table("pool_stamp")
