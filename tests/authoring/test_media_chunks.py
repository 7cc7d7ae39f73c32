"""authoring.media_chunks: an image is kept byte for byte only when its structure holds nothing but rendering data."""

from __future__ import annotations

import io
import struct

import pytest
from PIL import Image as PILImage

from quizapp.authoring import media_chunks
from tests.authoring.test_media import image_bytes, jpeg_segment, png_chunk

MIMES = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}


@pytest.mark.parametrize("fmt", MIMES)
def test_a_plain_encoded_image_is_only_rendering_data(fmt):
    assert media_chunks.only_rendering_data(image_bytes(fmt), MIMES[fmt]) is True


@pytest.mark.parametrize("fmt", MIMES)
def test_bytes_after_the_end_or_a_cut_file_are_not(fmt):
    data = image_bytes(fmt)
    assert media_chunks.only_rendering_data(data + b"\0", MIMES[fmt]) is False
    assert media_chunks.only_rendering_data(data[: len(data) // 2], MIMES[fmt]) is False


def test_png_chunks_outside_the_allowed_set_are_not():
    clean = image_bytes("PNG")
    iend = clean.rindex(b"IEND") - 4
    for kind in (b"tEXt", b"eXIf", b"prVt"):
        tagged = clean[:iend] + png_chunk(kind, b"x") + clean[iend:]
        assert media_chunks.only_rendering_data(tagged, "image/png") is False
    with_gamma = clean[:iend] + png_chunk(b"gAMA", struct.pack(">I", 45455)) + clean[iend:]
    assert media_chunks.only_rendering_data(with_gamma, "image/png") is True


@pytest.mark.parametrize(
    ("marker", "body", "kept"),
    [
        (0xFE, b"a comment", False),
        (0xE1, b"Exif\0\0MM", False),
        (0xED, b"Photoshop 3.0\0", False),
        (0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\x01\x01" + b"\0" * 3, False),  # a JFIF header with a 1x1 thumbnail
        (0xE2, b"ICC_PROFILE\0\x01\x01", True),
        (0xEE, b"Adobe\0\x64\0\0\0\0\x01", True),
    ],
)
def test_jpeg_segments_are_kept_only_when_a_browser_needs_them(marker, body, kept):
    clean = image_bytes("JPEG")
    assert media_chunks.only_rendering_data(clean[:2] + jpeg_segment(marker, body) + clean[2:], "image/jpeg") is kept


def test_a_webp_with_metadata_or_a_wrong_riff_size_is_not():
    out = io.BytesIO()
    PILImage.new("RGB", (8, 6), "red").save(out, "WEBP", exif=b"Exif\0\0MM\0*\0\0\0\x08\0\0")
    assert media_chunks.only_rendering_data(out.getvalue(), "image/webp") is False
    clean = image_bytes("WEBP")
    bigger = clean[:4] + struct.pack("<I", len(clean)) + clean[8:]
    assert media_chunks.only_rendering_data(bigger, "image/webp") is False
