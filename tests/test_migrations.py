"""The migrations build exactly the schema the models declare (on whichever database the suite runs)."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from quizapp.extensions import db


def test_migrated_schema_matches_models(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, db.metadata)
    assert diff == []
