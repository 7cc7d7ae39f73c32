"""Credentials: certificates of a readiness check, the learner's real card, and the verification-page privacy choice.

Revision ID: 0011_credentials
Revises: 0010_lti
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_credentials"
down_revision = "0010_lti"
branch_labels = None
depends_on = None


def upgrade():
    """Create certificate, learner_card and credential_privacy."""
    op.create_table(
        "certificate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("quiz_title", sa.String(length=200), nullable=False),
        sa.Column("track_title", sa.String(length=200), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=False),
        sa.Column("percent", sa.Float(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("max_score", sa.Float(), nullable=False),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_reason", sa.String(length=500), nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["attempt_id"], ["attempt.id"], name=op.f("fk_certificate_attempt_id_attempt")),
        sa.ForeignKeyConstraint(["revoked_by_id"], ["user.id"], name=op.f("fk_certificate_revoked_by_id_user")),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_certificate_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificate")),
        sa.UniqueConstraint("attempt_id", name=op.f("uq_certificate_attempt_id")),
        sa.UniqueConstraint("code", name=op.f("uq_certificate_code")),
    )
    op.create_index(op.f("ix_certificate_user_id"), "certificate", ["user_id"], unique=False)
    op.create_table(
        "learner_card",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("course", sa.String(length=40), nullable=False),
        sa.Column("course_other", sa.String(length=100), nullable=False),
        sa.Column("provider", sa.String(length=20), nullable=False),
        sa.Column("provider_other", sa.String(length=100), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("expiry_overridden", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_learner_card_user_id_user")),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_learner_card")),
    )
    op.create_index(op.f("ix_learner_card_expires_on"), "learner_card", ["expires_on"], unique=False)
    op.create_table(
        "credential_privacy",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("hide_name", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_credential_privacy_user_id_user")),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_credential_privacy")),
    )


def downgrade():
    """Drop credential_privacy, learner_card and certificate."""
    op.drop_table("credential_privacy")
    op.drop_index(op.f("ix_learner_card_expires_on"), table_name="learner_card")
    op.drop_table("learner_card")
    op.drop_index(op.f("ix_certificate_user_id"), table_name="certificate")
    op.drop_table("certificate")
