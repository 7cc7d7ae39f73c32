"""Inline base64 images in imported GIFT become stored media, checked like uploads; a bad one refuses its question."""

from __future__ import annotations

import base64

import pytest
from sqlalchemy import select

from quizapp import textfmt
from quizapp.authoring import media
from quizapp.banks import transfer
from quizapp.banks.formats.drafts import InlineImage
from quizapp.extensions import db
from quizapp.models import Image, Question
from tests.authoring.test_media import image_bytes
from tests.banks.test_import_web import upload
from tests.conftest import count


@pytest.fixture
def folder(app, tmp_path):
    """Store images under the test's temporary folder."""
    app.config["MEDIA_DIR"] = str(tmp_path / "media")
    return tmp_path / "media"


def inline(data: bytes) -> str:
    """Return an HTML image tag holding `data` as a GIFT-escaped data: address."""
    return f'<img alt="AED pads" src="data:image/png;base64,{base64.b64encode(data).decode()}">'.replace("=", "\\=")


def run_import(text: str) -> transfer.BankImport:
    """Import GIFT text into the demo bank and commit."""
    report = transfer.import_sources(transfer.find_bank("demo"), "gift", [transfer.Source("q.gift", text)])
    db.session.commit()
    return report


def test_an_inline_image_is_stored_and_the_stem_points_at_it(app, demo, folder):
    png = image_bytes("PNG")
    text = f"::pads::[html]<p>Where do the pads go?</p>{inline(png)}{{T}}"
    with app.app_context():
        report = run_import(text)
        assert len(report.created) == 1 and report.refused == []
        image = db.session.execute(select(Image)).scalar_one()
        assert (image.mime, image.uploaded_by, image.alt) == ("image/png", None, "")
        assert (folder / image.filename).read_bytes() == png
        key = report.created[0].split()[1]
        stem = db.session.execute(select(Question).where(Question.key == key)).scalar_one().current_version.spec().stem
        assert stem == f"Where do the pads go?\n\n![AED pads](/media/{image.filename})"
        assert f'<img src="/media/{image.filename}" alt="AED pads"' in str(textfmt.markdown(stem))
        again = run_import(text)  # the same file again: the same stored image, the question unchanged
        assert again.created == [] and len(again.unchanged) == 1
        assert len(db.session.execute(select(Image)).all()) == 1


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x89PNG\r\n\x1a\nbroken", "This file starts like a PNG image but could not be read"),
        (b"GIF89a\x01\x00\x01\x00", "This file is not a PNG, JPEG or WebP image"),
    ],
)
def test_a_refused_image_refuses_only_its_question(app, demo, folder, data, reason):
    text = f"First{{T}}\n\n[html]Look: {inline(data)}{{F}}"
    with app.app_context():
        report = run_import(text)
        assert len(report.created) == 1
        (refused,) = report.refused
        assert refused.line == 3 and f"an inline image is refused: {reason}" in refused.message
        assert db.session.execute(select(Image)).all() == []


def test_store_inline_images_maps_each_reference_to_its_url(app, folder):
    png = image_bytes("PNG", size=(3, 3))
    with app.app_context():
        ref = "inline-image:x"
        urls = transfer.store_inline_images([InlineImage(ref, "image/png", png)], None)
        (image,) = db.session.execute(select(Image)).scalars()
        assert urls == {ref: f"/media/{image.filename}"} and media.find(image.filename) == image


def test_a_preview_stores_no_image_and_the_import_stores_it(app, instructor, media_dir):
    png = image_bytes("PNG")
    text = f"::pads::[html]<p>Where do the pads go?</p>{inline(png)}{{T}}"
    preview = upload(instructor, text, button="preview")
    assert "Preview (dry run): nothing has been saved" in preview.get_data(as_text=True)
    assert not media_dir.exists() or not any(media_dir.iterdir())
    assert count(app, Image) == 0
    assert upload(instructor, text).status_code == 303
    with app.app_context():
        image = db.session.execute(select(Image)).scalar_one()
    assert [path.name for path in media_dir.iterdir()] == [image.filename]
