"""Snapshot of the quiz settings on each attempt, so editing a quiz never changes attempts already started.

Revision ID: 0004_attempt_settings
Revises: 0003_report_index
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_attempt_settings"
down_revision = "0003_report_index"
branch_labels = None
depends_on = None


def upgrade():
    """Add attempt.settings (attempts from before keep reading the quiz's settings)."""
    with op.batch_alter_table("attempt", schema=None) as batch_op:
        batch_op.add_column(sa.Column("settings", sa.JSON(), nullable=True))


def downgrade():
    """Drop attempt.settings."""
    with op.batch_alter_table("attempt", schema=None) as batch_op:
        batch_op.drop_column("settings")
