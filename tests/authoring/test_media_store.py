"""authoring.media: uploads checked by content, stored once by hash, found only by their stored name."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import func, select

from quizapp.authoring import media
from quizapp.extensions import db
from quizapp.models import Image, Role
from tests.authoring.test_media import image_bytes, png_chunk
from tests.taking.support import person


@pytest.fixture
def folder(app, tmp_path):
    """Store images under the test's temporary folder."""
    app.config["MEDIA_DIR"] = str(tmp_path / "media")
    return tmp_path / "media"


def _count() -> int:
    """Return how many images are stored."""
    return db.session.scalar(select(func.count(Image.id)))


def test_a_clean_image_is_stored_by_its_hash_once_with_the_latest_alt(app, folder):
    data = image_bytes("PNG")
    with app.app_context():
        ada = person("ada@example.org", Role.INSTRUCTOR)
        image = media.store(data, "A red square", ada)
        db.session.commit()
        assert image.filename == hashlib.sha256(data).hexdigest() + ".png"
        assert (image.mime, image.size, image.uploaded_by) == ("image/png", len(data), ada.id)
        assert (folder / image.filename).read_bytes() == data
        again = media.store(data, "The red square", ada)
        db.session.commit()
        assert again.id == image.id and again.alt == "The red square" and _count() == 1
        assert [path.name for path in folder.iterdir()] == [image.filename]  # no temporary file left behind


def test_an_image_with_metadata_is_stored_as_its_pixels_under_the_new_hash(app, folder):
    clean = image_bytes("PNG")
    iend = clean.rindex(b"IEND") - 4
    tagged = clean[:iend] + png_chunk(b"tEXt", b"Author\0Nurse Jane Doe") + clean[iend:]
    with app.app_context():
        image = media.store(tagged, "A red square", person(role=Role.INSTRUCTOR))
        db.session.commit()
        stored = (folder / image.filename).read_bytes()
        assert b"Jane Doe" not in stored and image.sha256 == hashlib.sha256(stored).hexdigest()
        assert media.find(image.filename) == image


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * media.MAX_BYTES, "The image is larger than 1 MB. Make it smaller"),
        (b'<?xml version="1.0"?><svg onload="alert(1)"/>', "SVG images are not accepted"),
        (b"GIF89a\x01\x00\x01\x00", "This file is not a PNG, JPEG or WebP image"),
        (b"\x89PNG\r\n\x1a\n" + b"broken", "This file starts like a PNG image but could not be read"),
    ],
)
def test_refused_uploads_say_why_and_store_nothing(app, folder, data, message):
    with app.app_context():
        with pytest.raises(media.ImageRefused) as refused:
            media.store(data, "alt", person(role=Role.INSTRUCTOR))
        assert refused.value.message.startswith(message)
        assert _count() == 0 and not folder.exists()


def test_an_image_of_too_many_pixels_is_refused(app, folder, monkeypatch):
    monkeypatch.setattr(media, "MAX_PIXELS", 47)  # the 8x6 test image has 48
    with app.app_context(), pytest.raises(media.ImageRefused, match="The image is 8×6 pixels"):
        media.store(image_bytes("PNG"), "alt", person(role=Role.INSTRUCTOR))


def test_store_flushes_and_leaves_the_commit_to_the_caller(app, folder):
    with app.app_context():
        image = media.store(image_bytes("JPEG"), "alt", person(role=Role.INSTRUCTOR))
        assert not (folder / image.filename).exists()  # the file waits for the commit
        db.session.rollback()
        db.session.commit()
        assert _count() == 0 and not folder.exists()


def test_a_savepoint_rolled_back_writes_none_of_its_files_and_the_commit_writes_the_rest(app, folder):
    with app.app_context():
        kept = media.store(image_bytes("PNG"), "kept", person(role=Role.INSTRUCTOR))
        preview = db.session.begin_nested()
        dropped = media.store(image_bytes("JPEG"), "dropped", None)
        inner = db.session.begin_nested()
        media.store(image_bytes("WEBP"), "dropped too", None)
        inner.commit()  # released into the savepoint that is then rolled back
        preview.rollback()
        db.session.commit()
        assert [path.name for path in folder.iterdir()] == [kept.filename]
        assert media.find(dropped.filename) is None and _count() == 1


def test_find_accepts_only_a_stored_name_with_its_own_extension(app, folder):
    with app.app_context():
        image = media.store(image_bytes("WEBP"), "alt", person(role=Role.INSTRUCTOR))
        assert media.find(image.filename) == image
        for name in (f"{image.sha256}.png", f"{image.sha256.upper()}.webp", f"../{image.filename}",
                     f"{'0' * 64}.webp", image.sha256):
            assert media.find(name) is None


def test_recent_lists_the_newest_first_and_the_snippet_escapes_the_alt(app, folder):
    with app.app_context():
        ada = person(role=Role.INSTRUCTOR)
        older = media.store(image_bytes("PNG"), "First", ada)
        newer = media.store(image_bytes("JPEG"), "A [red]\n  square \\ here", ada)
        assert media.recent() == [newer, older] and media.recent(limit=1) == [newer]
        assert media.snippet(newer, "/media/x.jpg") == "![A \\[red\\] square \\\\ here](/media/x.jpg)"
