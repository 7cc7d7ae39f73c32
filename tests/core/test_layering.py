"""The layers point one way: services never answer HTTP, forms never query, errors.py never imports views."""

from __future__ import annotations

import ast
from pathlib import Path

from sqlalchemy import event

import quizapp
from quizapp.extensions import db
from quizapp.forms.quiz import QuizForm

PACKAGE = Path(quizapp.__file__).parent


def trees(folder: str) -> list[tuple[str, ast.Module]]:
    """Return the parsed source of every module under a quizapp folder."""
    return [(str(p.relative_to(PACKAGE)), ast.parse(p.read_text())) for p in sorted((PACKAGE / folder).rglob("*.py"))]


def names(tree: ast.Module) -> set[str]:
    """Return every name, attribute and imported name a module mentions."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            found.add(node.id)
        elif isinstance(node, ast.Attribute):
            found.add(node.attr)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            found.update(alias.name for alias in node.names)
            found.add(getattr(node, "module", None) or "")
    return found


def test_no_service_module_calls_abort():
    """A service raises a domain error or returns None; only views answer 404 or 403."""
    assert [path for path, tree in trees("services") if "abort" in names(tree)] == []


def test_no_form_module_touches_the_database():
    """Forms never reach the session, build a select, or import the db handle: views pass choices in."""
    banned = {"session", "select", "quizapp.extensions", "db"}
    assert [(path, sorted(names(tree) & banned)) for path, tree in trees("forms") if names(tree) & banned] == []


def test_errors_module_does_not_import_views():
    """The app-wide error handlers depend on nothing in the views package."""
    imported = {n for n in names(ast.parse((PACKAGE / "errors.py").read_text())) if n.startswith("quizapp")}
    assert [n for n in imported if n.startswith("quizapp.views")] == []


def test_quiz_form_offers_the_banks_it_is_given_without_a_query(app):
    """The draw rule's bank menu holds exactly the banks the view passed, and rendering it runs no SQL."""
    statements = []

    def listen(conn, cursor, statement, *args):
        """Record each statement sent."""
        statements.append(statement)

    with app.test_request_context("/author/quizzes/new"):
        event.listen(db.engine, "before_cursor_execute", listen)
        try:
            html = str(QuizForm(banks=[("adult-bls", "Adult BLS")]).draw.entries[0].form.bank)
        finally:
            event.remove(db.engine, "before_cursor_execute", listen)
    assert statements == []
    assert html.count("<option") == 2 and 'value="adult-bls"' in html and "Any bank" in html
