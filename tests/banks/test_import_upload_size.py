"""The bank import upload has its own body limit (IMPORT_MAX_BYTES, 8 MB) so benchmark-sized files reach the import
jobs; every other route keeps MAX_CONTENT_LENGTH (2 MB), and a larger body is refused with the limit, nothing stored."""

from __future__ import annotations

import pytest
from werkzeug.test import encode_multipart

from quizapp.models import Job, JobState, Question, StagedImport
from tests.authoring.test_media import upload as upload_image
from tests.banks.test_import_web import URL, upload
from tests.conftest import count

MB = 1024 * 1024
QUESTIONS = "".join(f"::Q{i}::Question {i}: start compressions now? {{=Yes ~No}}\n\n" for i in range(3))


def padded_gift(size: int) -> str:
    """Return three GIFT questions after comment lines filling the file to `size` bytes (cheap to parse)."""
    line = "// " + "x" * 96 + "\n"
    return line * ((size - len(QUESTIONS)) // len(line)) + QUESTIONS


@pytest.mark.parametrize(("button", "kind", "added"), [("submit", "bank.import", 3), ("preview", "bank.preview", 0)])
def test_a_file_between_2_and_8_mb_is_staged_for_a_job(app, instructor, button, kind, added):
    text = padded_gift(3 * MB)
    assert 2 * MB < len(text.encode()) < app.config["IMPORT_MAX_BYTES"] == 8 * MB
    response = upload(instructor, text, button=button)
    assert response.status_code == 303 and response.headers["Location"].startswith(f"{URL}/")
    assert count(app, StagedImport, StagedImport.size > 2 * MB) == 1
    assert count(app, Job, Job.kind == kind, Job.state == JobState.DONE) == 1  # the job ran eagerly here
    assert count(app, Question) == 5 + added


def test_a_file_over_the_import_limit_is_refused_with_the_limit_and_nothing_is_staged(app, instructor):
    response = upload(instructor, padded_gift(8 * MB + 1))
    html = response.get_data(as_text=True)
    assert response.status_code == 413 and "That upload is too large. This page accepts at most 8 MB." in html
    assert count(app, StagedImport) == 0 and count(app, Job) == 0 and count(app, Question) == 5


def test_another_form_route_still_refuses_more_than_2_mb(app, instructor):
    response = upload_image(instructor, b"\x89PNG\r\n\x1a\n" + b"\x00" * (3 * MB))
    assert response.status_code == 413 and "This page accepts at most 2 MB." in response.get_data(as_text=True)
    boundary, body = encode_multipart({"format": "yaml", "padding": "x" * (3 * MB)})
    response = instructor.post(f"{URL[: -len('import')]}export", data=body,
                               content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 413 and "at most 2 MB" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", [None, "learner"])
def test_only_authors_get_the_larger_limit_on_the_import_route(app, auth, demo, role):
    client = auth.sign_in(role) if role else app.test_client()
    response = upload(client, padded_gift(3 * MB))
    assert response.status_code == 413 and "at most 2 MB" in response.get_data(as_text=True)
    assert count(app, StagedImport) == 0
