"""Index for per-quiz reports: finished attempts by quiz, status and submission time.

Revision ID: 0003_report_index
Revises: 0002_authoring
"""

from alembic import op

revision = "0003_report_index"
down_revision = "0002_authoring"
branch_labels = None
depends_on = None


def upgrade():
    """Add the report index."""
    with op.batch_alter_table("attempt", schema=None) as batch_op:
        batch_op.create_index("ix_attempt_report", ["quiz_id", "status", "submitted_at", "user_id"], unique=False)


def downgrade():
    """Drop the report index."""
    with op.batch_alter_table("attempt", schema=None) as batch_op:
        batch_op.drop_index("ix_attempt_report")
