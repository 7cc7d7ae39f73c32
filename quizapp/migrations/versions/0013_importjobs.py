"""Staged imports: an uploaded bank file kept until its uploader confirms (or it expires), then its import report.

Revision ID: 0013_importjobs
Revises: 0012_mail
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_importjobs"
down_revision = "0012_mail"
branch_labels = None
depends_on = None


def upgrade():
    """Create staged_import."""
    op.create_table(
        "staged_import",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("bank_id", sa.Integer(), nullable=False),
        sa.Column("format", sa.String(length=20), nullable=False),
        sa.Column("strict", sa.Boolean(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.Column("report", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["bank_id"], ["bank.id"], name=op.f("fk_staged_import_bank_id_bank")),
        sa.ForeignKeyConstraint(["job_id"], ["job.id"], name=op.f("fk_staged_import_job_id_job")),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_staged_import_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staged_import")),
        sa.UniqueConstraint("token", name=op.f("uq_staged_import_token")),
    )
    op.create_index(op.f("ix_staged_import_bank_id"), "staged_import", ["bank_id"], unique=False)
    op.create_index(op.f("ix_staged_import_expires_at"), "staged_import", ["expires_at"], unique=False)
    op.create_index(op.f("ix_staged_import_user_id"), "staged_import", ["user_id"], unique=False)


def downgrade():
    """Drop staged_import."""
    op.drop_table("staged_import")
