"""Temporary passwords: an expiry on the user, and the one-time record that shows a new one to the admin.

Revision ID: 0007_temporary_password
Revises: 0006_learner_profile
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_temporary_password"
down_revision = "0006_learner_profile"
branch_labels = None
depends_on = None


def upgrade():
    """Add user.password_expires_at and create one_time_secret."""
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("password_expires_at", sa.DateTime(), nullable=True))
    op.create_table(
        "one_time_secret",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("sealed", sa.LargeBinary(length=256), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_one_time_secret_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_one_time_secret")),
    )


def downgrade():
    """Drop one_time_secret and user.password_expires_at."""
    op.drop_table("one_time_secret")
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("password_expires_at")
