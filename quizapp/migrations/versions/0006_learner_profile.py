"""The learner profile: the track intake asked once, and the browser's time zone.

Revision ID: 0006_learner_profile
Revises: 0005_report_snapshot
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_learner_profile"
down_revision = "0005_report_snapshot"
branch_labels = None
depends_on = None


def upgrade():
    """Create learner_profile."""
    op.create_table(
        "learner_profile",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("intake", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("time_zone", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_learner_profile_user_id_user")),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_learner_profile")),
    )


def downgrade():
    """Drop learner_profile."""
    op.drop_table("learner_profile")
