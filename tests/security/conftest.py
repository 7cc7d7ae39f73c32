"""Fixtures for the fuzz tests: a signed-in admin with an open attempt, and the values that fill route placeholders."""

import pytest

from tests.taking.helpers import start


@pytest.fixture
def fuzz_client(auth, demo):
    """An admin with an open attempt, and the values that fill route placeholders."""
    client = auth.sign_in("admin", "fuzz@example.org")
    values = {"public_id": start(client), "slug": "demo-exam", "bank": "demo", "key": "demo-single", "number": 1}
    return client, values
