"""Migration 0008 derives each question's file hash from its newest version imported from a file."""

from __future__ import annotations

from flask_migrate import upgrade
from sqlalchemy import text

from quizapp import create_app
from quizapp.banks import filestate
from quizapp.extensions import db
from tests.conftest import base_config

ROWS = [
    # (question id, version number, note, author id, content hash)
    (1, 1, "imported from file", None, "a1"),
    (1, 2, "edited in the browser", 1, "b2"),
    (1, 3, "imported from file", None, "a3"),
    (1, 4, "edited in the browser", 1, "b4"),
    (2, 1, "created in the browser", 1, "c1"),
]


def test_0008_sets_the_file_hash_of_imported_questions_only(tmp_path):
    app = create_app(base_config(f"sqlite:///{tmp_path / 'old.sqlite'}"))
    with app.app_context():
        upgrade(revision="0007_temporary_password")
        run = db.session.execute
        run(
            text(
                'INSERT INTO "user" (id, email, display_name, password_hash, role, active, session_version, '
                "created_at) VALUES (1, 'a@example.org', 'A', 'x', 'instructor', true, 1, '2026-01-01')"
            )
        )
        run(
            text(
                'INSERT INTO bank (id, slug, title, topic, level, description, "references", retired, created_at, '
                "updated_at) VALUES (1, 'b', 'B', 't', 'lay', '', '{}', false, '2026-01-01', '2026-01-01')"
            )
        )
        for qid in (1, 2):
            insert = "INSERT INTO question (id, bank_id, key, position, retired) VALUES (:id, 1, :key, 0, false)"
            run(text(insert), {"id": qid, "key": f"k-{qid}"})
        for qid, number, note, author, digest in ROWS:
            run(
                text(
                    "INSERT INTO question_version (question_id, number, type, content, reference_text, points, "
                    "content_hash, author_id, note, created_at) VALUES (:q, :n, 'single', '{}', '', 1, :h, :a, :note, "
                    "'2026-01-01')"
                ),
                {"q": qid, "n": number, "h": digest, "a": author, "note": note},
            )
        db.session.commit()
        upgrade()
        rows = dict(run(text("SELECT id, file_hash FROM question")).tuples().all())
        statuses = set(run(text("SELECT status FROM question")).scalars())
        db.engine.dispose()
    assert rows == {1: filestate.state_hash("a3", "ready", False), 2: None}
    assert statuses == {"ready"}
