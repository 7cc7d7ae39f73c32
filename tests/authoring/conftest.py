"""Fixtures for authoring: images kept in a temporary folder."""

from __future__ import annotations

import pytest
from sqlalchemy import delete

from quizapp.extensions import db
from quizapp.models import Image


@pytest.fixture(autouse=True)
def media_dir(app, tmp_path):
    """Store uploads under the test's temporary folder, and remove image rows afterwards."""
    folder = tmp_path / "media"
    app.config["MEDIA_DIR"] = str(folder)
    yield folder
    with app.app_context():
        db.session.execute(delete(Image))
        db.session.commit()
