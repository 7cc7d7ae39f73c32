"""Reminders: verified addresses, verification links, mail preferences, reminders claimed, outbox headers.

Revision ID: 0014_reminders
Revises: 0013_importjobs
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_reminders"
down_revision = "0013_importjobs"
branch_labels = None
depends_on = None


def upgrade():
    """Add user.email_verified_at, outbox.headers, job.queued_at; create email_verification, mail_preference, reminder."""
    with op.batch_alter_table("user") as batch:
        batch.add_column(sa.Column("email_verified_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("headers", sa.JSON(), nullable=False, server_default=sa.text("'{}'")))
    with op.batch_alter_table("job") as batch:
        batch.add_column(sa.Column("queued_at", sa.DateTime(), nullable=True))
    op.create_table(
        "email_verification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_email_verification_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_email_verification")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_email_verification_token_hash")),
    )
    op.create_index(op.f("ix_email_verification_user_id"), "email_verification", ["user_id"], unique=False)
    op.create_table(
        "mail_preference",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("reminders", sa.Boolean(), nullable=False),
        sa.Column("practice", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_mail_preference_user_id_user")),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_mail_preference")),
    )
    op.create_table(
        "reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["outbox_id"], ["outbox.id"], name=op.f("fk_reminder_outbox_id_outbox")),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_reminder_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder")),
        sa.UniqueConstraint("user_id", "kind", "due_on", name=op.f("uq_reminder_user_id_kind_due_on")),
    )
    op.create_index(op.f("ix_reminder_user_id"), "reminder", ["user_id"], unique=False)


def downgrade():
    """Drop reminder, mail_preference, email_verification and the added columns."""
    op.drop_index(op.f("ix_reminder_user_id"), table_name="reminder")
    op.drop_table("reminder")
    op.drop_table("mail_preference")
    op.drop_index(op.f("ix_email_verification_user_id"), table_name="email_verification")
    op.drop_table("email_verification")
    with op.batch_alter_table("job") as batch:
        batch.drop_column("queued_at")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("headers")
    with op.batch_alter_table("user") as batch:
        batch.drop_column("email_verified_at")
