"""Preview jobs: a large staged upload's dry run runs as a `bank.preview` job, its report kept on the staged row.

Revision ID: 0015_previewjobs
Revises: 0014_reminders
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_previewjobs"
down_revision = "0014_reminders"
branch_labels = None
depends_on = None


def upgrade():
    """Add the preview job and its report to staged_import."""
    with op.batch_alter_table("staged_import") as batch:
        batch.add_column(sa.Column("preview_job_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("preview", sa.JSON(), nullable=True))
        batch.create_foreign_key(op.f("fk_staged_import_preview_job_id_job"), "job", ["preview_job_id"], ["id"])


def downgrade():
    """Drop the preview job and its report."""
    with op.batch_alter_table("staged_import") as batch:
        batch.drop_constraint(op.f("fk_staged_import_preview_job_id_job"), type_="foreignkey")
        batch.drop_column("preview")
        batch.drop_column("preview_job_id")
