"""Shared helpers for the report tests: learners taking the demo exam, page parsing, query counting."""

from __future__ import annotations

import html
import re

from quizapp.numfmt import number
from tests.conftest import AuthActions
from tests.taking.helpers import form_for, layout, start


def take(app, email: str, pattern: list[bool], slug: str = "demo-exam", client=None):
    """Sign up `email` (first time), answer slot i right when pattern[i], submit; return the signed-in client."""
    if client is None:
        client = AuthActions(app, app.test_client()).sign_in("learner", email, email.split("@")[0])
    pid = start(client, slug)
    for n, ((slot, version), right) in enumerate(zip(layout(app, pid), pattern, strict=True), start=1):
        response = client.post(f"/attempts/{pid}/questions/{n}", data={**form_for(slot, version, right), "go": "next"})
        assert response.status_code == 303, response.data
    assert client.post(f"/attempts/{pid}/submit").status_code == 303
    return client


def staff_client(app, role: str):
    """Return a client signed in as a new instructor or admin."""
    return AuthActions(app, app.test_client()).sign_in(role, name=role.title())


def text_of(fragment: str) -> str:
    """Return the visible text of an HTML fragment, whitespace collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def stat(page: str, name: str, within: str | None = None) -> str:
    """Return the text of the element marked data-stat=name (inside the element with id `within`, if given)."""
    if within is not None:
        match = re.search(rf'<tr id="{re.escape(within)}"[^>]*>(.*?)</tr>', page, re.S)
        assert match, f"no row {within}"
        page = match.group(1)
    match = re.search(rf'<(\w+)[^>]*data-stat="{name}"[^>]*>(.*?)</\1>', page, re.S)
    assert match, f"no data-stat={name}"
    return text_of(match.group(2))


def pct(value: float | None, digits: int = 2) -> str:
    """Format a percent the way the report pages do (the one `number` format, padded)."""
    return "—" if value is None else f"{number(value, digits, pad=True)}%"
