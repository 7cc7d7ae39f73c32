"""Computed reports kept in the database, shared by every worker and restart.

Revision ID: 0005_report_snapshot
Revises: 0004_attempt_settings
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_report_snapshot"
down_revision = "0004_attempt_settings"
branch_labels = None
depends_on = None


def upgrade():
    """Create report_snapshot."""
    op.create_table(
        "report_snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("quiz_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.Column("finished", sa.Integer(), nullable=False),
        sa.Column("latest", sa.DateTime(), nullable=True),
        sa.Column("regrade", sa.Integer(), nullable=True),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["quiz_id"], ["quiz.id"], name=op.f("fk_report_snapshot_quiz_id_quiz")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_snapshot")),
        sa.UniqueConstraint("quiz_id", "kind", "mode", name=op.f("uq_report_snapshot_quiz_id_kind_mode")),
    )


def downgrade():
    """Drop report_snapshot."""
    op.drop_table("report_snapshot")
