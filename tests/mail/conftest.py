"""Fixtures for the mail tests: an in-process SMTP server and an app whose MAIL_URL reaches it."""

import pytest

from tests.mail import smtp


@pytest.fixture
def smtp_server():
    """Yield (inbox, MAIL_URL) of a real SMTP server on loopback."""
    with smtp.running() as running:
        yield running


@pytest.fixture
def mail_app(make_app, smtp_server):
    """An app that sends mail to the in-process server (jobs run eagerly, no broker)."""
    return make_app(MAIL_URL=smtp_server[1], MAIL_FROM="CPR quiz <quiz@example.org>")
