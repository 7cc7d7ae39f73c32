"""Concurrent saves of one question from the same version (PostgreSQL): one wins, the others are told, no 500."""

from __future__ import annotations

import pytest

from tests.authoring.helpers import read_form
from tests.authoring.test_author_questions import version_count
from tests.pg.test_races import THREADS, race


@pytest.fixture(autouse=True)
def _postgres_only(is_postgres):
    """SQLite serialises every writer, so these races can only be run on PostgreSQL."""
    if not is_postgres:
        pytest.skip("concurrency tests need PostgreSQL (set TEST_DATABASE_URL)")


def test_ten_saves_from_one_version_make_one_version_and_nine_clear_refusals(app, auth, demo):
    # race() signs every client in as learner@example.org: here that account is an instructor.
    client = auth.sign_in("instructor", "learner@example.org")
    base = read_form(client.get("/author/questions/demo-tf/edit").get_data(as_text=True))
    assert base["base_version"] == "1"

    def save(index, c):
        response = c.post("/author/questions/demo-tf/edit", data={**base, "stem": f"Wording number {index}."})
        return response.status_code, response.get_data(as_text=True)

    results = race(app, save)
    statuses = sorted(status for status, _ in results)
    assert statuses == [303] + [422] * (THREADS - 1)
    refusals = [html for status, html in results if status == 422]
    assert all("Someone saved version 2 of this question after you opened version 1" in html for html in refusals)
    assert version_count(app, "demo-tf") == 2
