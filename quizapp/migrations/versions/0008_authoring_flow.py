"""Authoring flow: a question's status (draft or ready) and the hash of the file entry it was last synced with.

Existing questions stay ready. A question whose versions include one imported from a file gets the file hash of
the newest such version (status ready, not retired: files had neither field), so the next import can tell a
browser edit from a file edit.

Revision ID: 0008_authoring_flow
Revises: 0007_temporary_password
"""

import hashlib
import json

import sqlalchemy as sa
from alembic import op

revision = "0008_authoring_flow"
down_revision = "0007_temporary_password"
branch_labels = None
depends_on = None


def state_hash(content_hash: str) -> str:
    """Return the state hash of a ready, live file entry (a frozen copy of quizapp.banks.sync.state_hash)."""
    state = {"content": content_hash, "retired": False, "status": "ready"}
    return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()


def upgrade():
    """Add question.status, question.file_hash and question.file_conflict; derive file_hash from imports."""
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status", sa.String(length=10), server_default="ready", nullable=False))
        batch_op.add_column(sa.Column("file_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("file_conflict", sa.String(length=64), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            "SELECT question_id, content_hash FROM question_version WHERE note = 'imported from file' "
            "AND author_id IS NULL ORDER BY question_id, number"
        )
    )
    newest = dict(rows.tuples().all())  # ordered by number: the newest import wins
    question = sa.table("question", sa.column("id", sa.Integer), sa.column("file_hash", sa.String))
    for question_id, digest in newest.items():
        connection.execute(question.update().where(question.c.id == question_id).values(file_hash=state_hash(digest)))


def downgrade():
    """Drop the three columns."""
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.drop_column("file_conflict")
        batch_op.drop_column("file_hash")
        batch_op.drop_column("status")
