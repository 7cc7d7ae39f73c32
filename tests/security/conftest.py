"""Fixtures for the fuzz tests: a signed-in admin with an open attempt, and the values that fill route placeholders."""

import pytest

from tests.conftest import login, make_user
from tests.web.helpers import start


@pytest.fixture
def fuzz_client(app, client, demo):
    """An admin with an open attempt, and the values that fill route placeholders."""
    make_user(app, "fuzz@example.org", role="admin")
    login(client, "fuzz@example.org")
    values = {"public_id": start(client), "slug": "demo-exam", "bank": "demo", "key": "demo-single", "number": 1}
    return client, values
