"""A deep-linking launch keeps whether the platform accepts several items (accept_multiple: false takes one).

Revision ID: 0017_lti_accept_multiple
Revises: 0016_pool_stamp
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_lti_accept_multiple"
down_revision = "0016_pool_stamp"
branch_labels = None
depends_on = None


def upgrade():
    """Add lti_launch.deep_link_multiple (empty when the platform did not say)."""
    with op.batch_alter_table("lti_launch", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deep_link_multiple", sa.Boolean(), nullable=True))


def downgrade():
    """Drop lti_launch.deep_link_multiple."""
    with op.batch_alter_table("lti_launch", schema=None) as batch_op:
        batch_op.drop_column("deep_link_multiple")
