"""Authoring: uploaded images for question text, stored by content hash.

Revision ID: 0002_authoring
Revises: 0001_initial
Create Date: 2026-11-24 06:21:08.306915

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002_authoring'
down_revision = '0001_initial'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('image',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('mime', sa.String(length=32), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('alt', sa.String(length=300), nullable=False),
    sa.Column('uploaded_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['uploaded_by'], ['user.id'], name=op.f('fk_image_uploaded_by_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_image')),
    sa.UniqueConstraint('sha256', name=op.f('uq_image_sha256'))
    )
    with op.batch_alter_table('image', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_image_uploaded_by'), ['uploaded_by'], unique=False)


def downgrade():
    with op.batch_alter_table('image', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_image_uploaded_by'))

    op.drop_table('image')
