"""Helpers shared by every test folder: the CSRF token of a page, signing in with it, counting SQL statements."""

from __future__ import annotations

import re
import socket
from contextlib import contextmanager

from sqlalchemy import event

from quizapp.extensions import db

PASSWORD = "correct horse battery"
TOKEN = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')


def csrf_token(client, url: str) -> str:
    """Fetch a page and return the CSRF token of its form."""
    return TOKEN.search(client.get(url).get_data(as_text=True)).group(1)


def login_with_token(client, email: str, password: str = PASSWORD):
    """Sign in through the real form of a CSRF-protected app, sending the form's token; return the response."""
    data = {"email": email, "password": password, "csrf_token": csrf_token(client, "/auth/login")}
    return client.post("/auth/login", data=data)


@contextmanager
def counted_queries(app):
    """Count the SQL statements the app runs inside the block; yields a list whose length is the count."""
    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        """Keep the statement."""
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def free_port() -> int:
    """Return a loopback port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
