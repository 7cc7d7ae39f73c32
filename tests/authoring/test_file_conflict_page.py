"""The bank page shows the questions an import of the bank files stopped on, and how to resolve them."""

from __future__ import annotations

from quizapp.banks import filestate
from quizapp.extensions import db


def test_bank_page_names_the_conflicting_keys(app, instructor):
    assert "File and browser both changed" not in instructor.get("/author/banks/demo").get_data(as_text=True)
    with app.app_context():
        filestate.record_conflicts([("demo", "demo-tf", "f" * 64), ("demo", "demo-order", "e" * 64)])
        db.session.commit()
    html = instructor.get("/author/banks/demo").get_data(as_text=True)
    assert "File and browser both changed: demo-tf, demo-order" in html
    assert "--take-file" in html and "--keep-browser" in html and "flask banks export demo --into questions" in html
    assert "<code>python3 dev.py flask …</code> on a development machine" in html
