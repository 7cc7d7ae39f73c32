"""A sign-in limit never locks the owner out silently: the page says how long to wait, and the log records it."""

from __future__ import annotations

import logging
import re

import pytest

from tests.conftest import PASSWORD, make_user

WAIT = re.compile(r"Too many sign-in attempts: try again in (\d+) minutes?\.")


def limited(make_app, limit: str):
    """A client of an app whose sign-in limit is `limit`."""
    return make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT=limit).test_client()


def sign_in(client, password: str, ip: str, email: str = "learner@example.org"):
    """Post the sign-in form from an address."""
    return client.post("/auth/login", data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": ip})


@pytest.mark.parametrize(("limit", "most"), [("3 per minute", 1), ("3 per hour", 60)])
def test_owner_locked_by_someone_else_is_told_how_long_to_wait(make_app, app, caplog, limit, most):
    make_user(app)
    client = limited(make_app, limit)
    for n in range(3):  # someone guessing at the account from three addresses
        assert sign_in(client, "wrong guess!", f"10.0.0.{n}").status_code == 200
    with caplog.at_level(logging.WARNING, logger="quizapp"):
        response = sign_in(client, PASSWORD, "192.0.2.7")  # the owner, from home, with the right password
    assert response.status_code == 429
    found = WAIT.search(response.get_data(as_text=True))
    assert found and 1 <= int(found.group(1)) <= most + 1, response.get_data(as_text=True)
    [record] = [r for r in caplog.records if "rate limit reached" in r.getMessage()]
    assert "account:learner@example.org" in record.getMessage() and record.levelno == logging.WARNING


def test_the_address_limit_says_it_too_and_scripts_get_json(make_app, app):
    client = limited(make_app, "2 per hour")
    for n in range(2):
        sign_in(client, "wrong guess!", "10.0.0.9", email=f"u{n}@example.org")
    response = sign_in(client, "wrong guess!", "10.0.0.9", email="other@example.org")
    assert response.status_code == 429 and WAIT.search(response.get_data(as_text=True))
    as_json = client.post(
        "/auth/login", data={"email": "x@example.org", "password": "x"}, headers={"Accept": "application/json"},
        environ_base={"REMOTE_ADDR": "10.0.0.9"},
    )
    assert as_json.status_code == 429 and WAIT.fullmatch(as_json.get_json()["error"])
