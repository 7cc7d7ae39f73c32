"""LTI 1.3: platform registrations, tool keys, logins in flight, launched users, launches and grades to send.

Revision ID: 0010_lti
Revises: 0009_jobs
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_lti"
down_revision = "0009_jobs"
branch_labels = None
depends_on = None


def upgrade():
    """Create the lti_* tables."""
    op.create_table(
        "lti_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kid", sa.String(length=64), nullable=False),
        sa.Column("private_pem", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("retired_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lti_key")),
        sa.UniqueConstraint("kid", name=op.f("uq_lti_key_kid")),
    )
    op.create_table(
        "lti_registration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("issuer", sa.String(length=255), nullable=False),
        sa.Column("client_id", sa.String(length=255), nullable=False),
        sa.Column("deployment_ids", sa.JSON(), nullable=False),
        sa.Column("key_set_url", sa.String(length=500), nullable=False),
        sa.Column("auth_login_url", sa.String(length=500), nullable=False),
        sa.Column("auth_token_url", sa.String(length=500), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lti_registration")),
        sa.UniqueConstraint("issuer", "client_id", name=op.f("uq_lti_registration_issuer_client_id")),
    )
    op.create_table(
        "lti_launch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("deployment_id", sa.String(length=255), nullable=False),
        sa.Column("message_type", sa.String(length=40), nullable=False),
        sa.Column("quiz_id", sa.Integer(), nullable=True),
        sa.Column("resource_link_id", sa.String(length=255), nullable=True),
        sa.Column("context_id", sa.String(length=255), nullable=True),
        sa.Column("lineitem_url", sa.String(length=500), nullable=True),
        sa.Column("lineitems_url", sa.String(length=500), nullable=True),
        sa.Column("ags_scopes", sa.JSON(), nullable=False),
        sa.Column("deep_link_return_url", sa.String(length=500), nullable=True),
        sa.Column("deep_link_data", sa.Text(), nullable=True),
        sa.Column("instructor", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["quiz_id"], ["quiz.id"], name=op.f("fk_lti_launch_quiz_id_quiz")),
        sa.ForeignKeyConstraint(
            ["registration_id"], ["lti_registration.id"], name=op.f("fk_lti_launch_registration_id_lti_registration")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_lti_launch_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lti_launch")),
    )
    with op.batch_alter_table("lti_launch", schema=None) as batch_op:
        batch_op.create_index("ix_lti_launch_user_quiz", ["user_id", "quiz_id", "created_at"], unique=False)

    op.create_table(
        "lti_login",
        sa.Column("state", sa.String(length=64), nullable=False),
        sa.Column("nonce", sa.String(length=64), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["registration_id"], ["lti_registration.id"], name=op.f("fk_lti_login_registration_id_lti_registration")
        ),
        sa.PrimaryKeyConstraint("state", name=op.f("pk_lti_login")),
    )
    with op.batch_alter_table("lti_login", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lti_login_created_at"), ["created_at"], unique=False)

    op.create_table(
        "lti_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("issuer", sa.String(length=255), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["registration_id"], ["lti_registration.id"], name=op.f("fk_lti_user_registration_id_lti_registration")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_lti_user_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lti_user")),
        sa.UniqueConstraint("issuer", "subject", name=op.f("uq_lti_user_issuer_subject")),
        sa.UniqueConstraint("user_id", name=op.f("uq_lti_user_user_id")),
    )
    op.create_table(
        "lti_grade",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("launch_id", sa.Integer(), nullable=False),
        sa.Column("lineitem_url", sa.String(length=500), nullable=True),
        sa.Column("score_given", sa.Float(), nullable=False),
        sa.Column("score_maximum", sa.Float(), nullable=False),
        sa.Column("comment", sa.String(length=500), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("tries", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["attempt_id"], ["attempt.id"], name=op.f("fk_lti_grade_attempt_id_attempt")),
        sa.ForeignKeyConstraint(["launch_id"], ["lti_launch.id"], name=op.f("fk_lti_grade_launch_id_lti_launch")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lti_grade")),
        sa.UniqueConstraint("attempt_id", "launch_id", name=op.f("uq_lti_grade_attempt_id_launch_id")),
    )
    with op.batch_alter_table("lti_grade", schema=None) as batch_op:
        batch_op.create_index("ix_lti_grade_status", ["status", "id"], unique=False)


def downgrade():
    """Drop the lti_* tables."""
    with op.batch_alter_table("lti_grade", schema=None) as batch_op:
        batch_op.drop_index("ix_lti_grade_status")

    op.drop_table("lti_grade")
    op.drop_table("lti_user")
    with op.batch_alter_table("lti_login", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lti_login_created_at"))

    op.drop_table("lti_login")
    with op.batch_alter_table("lti_launch", schema=None) as batch_op:
        batch_op.drop_index("ix_lti_launch_user_quiz")

    op.drop_table("lti_launch")
    op.drop_table("lti_registration")
    op.drop_table("lti_key")
