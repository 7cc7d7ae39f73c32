"""The layers point one way: domain folders never answer HTTP, the pure core has no app, forms never query."""

from __future__ import annotations

import ast
from pathlib import Path

from sqlalchemy import event

import quizapp
from quizapp.extensions import db
from quizapp.forms.quiz import QuizForm

PACKAGE = Path(quizapp.__file__).parent
DOMAINS = (
    "taking", "authoring", "banks", "reporting", "exports", "accounts", "recommendation", "demo", "jobs", "lti",
    "credentials", "xapi", "mail", "reminders",
)
PURE = (
    "taking/drawing/draw.py", "taking/drawing/focus.py", "taking/grading.py", "taking/marks.py",
    "reporting/itemstats.py", "recommendation/recommender.py", "recommendation/tracks.py", "banks/schema.py",
    "banks/formats", "accounts/identity.py", "qtypes", "textfmt.py", "numfmt.py", "timefmt.py", "lti/claims.py",
    "credentials/expiry.py", "credentials/codes.py", "credentials/ics.py", "credentials/layout.py",
    "authoring/versiondiff.py", "banks/formats/registry.py", "xapi/statements.py", "reminders/due.py",
    "reminders/letters.py",
)
APP_MODULES = {"flask", "flask_login", "sqlalchemy", "quizapp.extensions", "quizapp.models"}


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


def imports(tree: ast.Module) -> set[str]:
    """Return the modules a module imports, with their parent packages."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            modules = [node.module or ""]
        else:
            continue
        found.update(".".join(m.split(".")[: i + 1]) for m in modules for i in range(m.count(".") + 1))
    return found


def test_no_domain_module_calls_abort():
    """A domain operation raises a domain error or returns None; only views answer 404 or 403."""
    assert [path for d in DOMAINS for path, tree in trees(d) if "abort" in names(tree)] == []


def test_domain_folders_stay_small():
    """Each domain folder holds at most a dozen modules, so a reader takes it in at a glance."""
    sizes = {d: len([p for p in (PACKAGE / d).glob("*.py") if p.name != "__init__.py"]) for d in DOMAINS}
    assert {d: n for d, n in sizes.items() if n > 12} == {}


def test_pure_core_imports_neither_flask_nor_the_database():
    """The pure core (draw, grading, marks, statistics, recommender, schema, file formats, text) runs without an app."""
    modules = [(path, tree) for part in PURE for path, tree in trees_at(part)]
    assert [(path, sorted(imports(tree) & APP_MODULES)) for path, tree in modules if imports(tree) & APP_MODULES] == []


def trees_at(part: str) -> list[tuple[str, ast.Module]]:
    """Return the parsed module at a path, or every module under a folder."""
    if part.endswith(".py"):
        return [(part, ast.parse((PACKAGE / part).read_text()))]
    return trees(part)


def test_no_form_module_touches_the_database():
    """Forms never reach the session, build a select, or import the db handle: views pass choices in."""
    banned = {"session", "select", "quizapp.extensions", "db"}
    assert [(path, sorted(names(tree) & banned)) for path, tree in trees("forms") if names(tree) & banned] == []


def test_error_pages_do_not_import_views():
    """The app-wide error handlers depend on nothing in the views package."""
    imported = {n for n in names(ast.parse((PACKAGE / "error_pages.py").read_text())) if n.startswith("quizapp")}
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
