"""Image uploads: checked by content, stored by hash, served with the right type to signed-in users only."""

import hashlib
import io
import struct
import zlib

import pytest
from PIL import Image as PILImage
from PIL import ImageCms
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from quizapp.extensions import db
from quizapp.models import Image
from tests.conftest import login, make_user


def image_bytes(fmt: str, size=(8, 6), mode="RGB") -> bytes:
    """Return a small image encoded by Pillow."""
    out = io.BytesIO()
    PILImage.new(mode, size, "red" if mode == "RGB" else 1).save(out, fmt)
    return out.getvalue()


def upload(client, data: bytes, filename: str = "picture.png", alt: str = "A red square"):
    """Post an upload (the body is built in memory, so the test client leaves no temporary file open)."""
    fields = MultiDict({"alt": alt, "file": FileStorage(io.BytesIO(data), filename, content_type="image/png")})
    boundary, body = encode_multipart(fields)
    return client.post("/author/images", data=body, content_type=f"multipart/form-data; boundary={boundary}")


def fetch(client, url: str):
    """GET a URL and close the streamed file behind the response."""
    with client.get(url) as response:
        response.get_data()
        return response


@pytest.mark.parametrize(
    ("fmt", "mime", "ext"), [("PNG", "image/png", "png"), ("JPEG", "image/jpeg", "jpg"), ("WEBP", "image/webp", "webp")]
)
def test_accepted_images_are_stored_by_hash_and_served(app, instructor, media_dir, fmt, mime, ext):
    data = image_bytes(fmt)
    digest = hashlib.sha256(data).hexdigest()
    response = upload(instructor, data, filename="../../evil name.png")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/author/images/{digest}.{ext}")
    assert [p.name for p in media_dir.iterdir()] == [f"{digest}.{ext}"]
    page = instructor.get(response.headers["Location"]).get_data(as_text=True)
    assert f"![A red square](/media/{digest}.{ext})" in page
    served = fetch(instructor, f"/media/{digest}.{ext}")
    assert served.status_code == 200 and served.data == data
    assert served.headers["Content-Type"] == mime
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    cache = served.headers["Cache-Control"]
    assert "private" in cache and "immutable" in cache and "max-age=31536000" in cache and "public" not in cache
    with app.app_context():
        image = db.session.execute(select(Image)).scalar_one()
        assert (image.sha256, image.mime, image.size, image.alt) == (digest, mime, len(data), "A red square")
        assert image.uploaded_by is not None


def stored_image(app, media_dir) -> PILImage.Image:
    """Open the one stored image file (loaded, so the file is closed again)."""
    (path,) = media_dir.iterdir()
    with PILImage.open(path) as im:
        im.load()
        return im


@pytest.mark.parametrize("fmt", ["JPEG", "WEBP", "PNG"])
def test_camera_metadata_is_removed_and_the_photo_kept_upright(app, instructor, media_dir, fmt):
    exif = PILImage.Exif()
    exif[0x0112] = 6  # orientation: the camera was turned, so the pixels are shown rotated
    exif[0x010F] = "Camera maker"
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}  # a GPS position
    out = io.BytesIO()
    PILImage.new("RGB", (8, 6), "red").save(out, fmt, exif=exif.tobytes())
    response = upload(instructor, out.getvalue())
    assert response.status_code == 303
    im = stored_image(app, media_dir)
    assert not im.getexif() and "exif" not in im.info
    assert im.size == (6, 8)  # the orientation was applied to the pixels
    (path,) = media_dir.iterdir()
    assert path.name.startswith(hashlib.sha256(path.read_bytes()).hexdigest())  # named by what is stored
    with app.app_context():
        assert db.session.execute(select(Image)).scalar_one().size == path.stat().st_size


def test_png_text_chunks_are_removed_and_pixels_kept(app, instructor, media_dir):
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Nurse Jane Doe, 12 Example Street")
    original = PILImage.new("RGBA", (8, 6), (255, 0, 0, 128))
    out = io.BytesIO()
    original.save(out, "PNG", pnginfo=info)
    upload(instructor, out.getvalue())
    im = stored_image(app, media_dir)
    assert im.text == {} and im.tobytes() == original.tobytes()


def test_the_same_image_twice_is_stored_once_with_the_latest_alt(app, instructor, media_dir):
    data = image_bytes("PNG")
    upload(instructor, data)
    upload(instructor, data, alt="A *red* [square]")
    with app.app_context():
        assert db.session.scalar(select(func.count(Image.id))) == 1
    digest = hashlib.sha256(data).hexdigest()
    page = instructor.get(f"/author/images/{digest}.png").get_data(as_text=True)
    assert "![A *red* \\[square\\]](/media/" in page
    assert len(list(media_dir.iterdir())) == 1


@pytest.mark.parametrize(
    ("data", "filename", "alt", "message"),
    [
        (
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>',
            "x.svg",
            "x",
            "SVG images are not accepted",
        ),
        (b"<svg><script>alert(1)</script></svg>", "x.png", "x", "SVG images are not accepted"),
        (b"just some text, not a picture", "photo.png", "x", "not a PNG, JPEG or WebP image"),
        (b"GIF89a" + b"\x00" * 20, "anim.gif", "x", "not a PNG, JPEG or WebP image"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "broken.png", "x", "could not be read"),
        (image_bytes("JPEG")[:60], "cut.jpg", "x", "could not be read"),
        (image_bytes("PNG", (6000, 5000), "1"), "huge.png", "x", "make it smaller than 5000×5000"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * (1024 * 1024), "big.png", "x", "larger than 1 MB"),
        (image_bytes("PNG"), "ok.png", "  ", "alternative text is required"),
        (b"", "empty.png", "x", "The file is empty."),
    ],
)
def test_refused_uploads_say_why_and_store_nothing(app, instructor, media_dir, data, filename, alt, message):
    response = upload(instructor, data, filename, alt)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert not media_dir.exists() or not any(media_dir.iterdir())
    with app.app_context():
        assert db.session.scalar(select(func.count(Image.id))) == 0


def test_requests_over_the_limit_get_413(instructor):
    response = upload(instructor, b"\x89PNG\r\n\x1a\n" + b"\x00" * (2 * 1024 * 1024 + 10))
    assert response.status_code == 413 and "too large" in response.get_data(as_text=True)


def test_names_that_are_not_stored_images_are_404(instructor):
    data = image_bytes("PNG")
    upload(instructor, data)
    digest = hashlib.sha256(data).hexdigest()
    for name in (f"{digest}.jpg", f"{digest}.svg", "0" * 64 + ".png", "..%2F..%2Fwsgi.py", f"{digest.upper()}.png"):
        assert fetch(instructor, f"/media/{name}").status_code == 404, name
        assert instructor.get(f"/author/images/{name}").status_code == 404, name


def test_learners_may_view_images_but_not_upload(app, instructor):
    data = image_bytes("PNG")
    upload(instructor, data)
    digest = hashlib.sha256(data).hexdigest()
    make_user(app)
    learner = app.test_client()
    login(learner)
    assert fetch(learner, f"/media/{digest}.png").status_code == 200
    assert upload(learner, data).status_code == 403


def test_missing_file_is_refused(instructor):
    response = instructor.post("/author/images", data={"alt": "x"})
    assert response.status_code == 422 and "Choose an image file" in response.get_data(as_text=True)


def test_uploaded_image_shows_in_a_question(app, instructor):
    data = image_bytes("PNG")
    location = upload(instructor, data).headers["Location"]
    snippet = instructor.get(location).get_data(as_text=True).split('readonly value="', 1)[1].split('"', 1)[0]
    assert snippet.startswith("![A red square](/media/")
    from tests.authoring.test_author_questions import NEW

    instructor.post("/author/banks/demo/questions/new", data={**NEW["single"], "stem": f"What is this? {snippet}"})
    page = instructor.get("/author/questions/demo-001/preview").get_data(as_text=True)
    digest = hashlib.sha256(data).hexdigest()
    assert f'<img src="/media/{digest}.png" alt="A red square">' in page


SECRET = b"Nurse Jane Doe, 12 Example Street"


def jpeg_segment(marker: int, body: bytes) -> bytes:
    """Return a JPEG marker segment."""
    return bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body


def png_chunk(kind: bytes, body: bytes) -> bytes:
    """Return a PNG chunk with its CRC."""
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def iptc(text: bytes) -> bytes:
    """Return an APP13 Photoshop body carrying an IPTC by-line."""
    record = b"\x1c\x02\x50" + struct.pack(">H", len(text)) + text
    record += b"\0" * (len(record) % 2)
    return b"Photoshop 3.0\0" + b"8BIM" + b"\x04\x04" + b"\0\0" + struct.pack(">I", len(record)) + record


XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>' + SECRET + b"</dc:creator></x:xmpmeta>"
JPEG_EXTRAS = {
    "IPTC (APP13)": jpeg_segment(0xED, iptc(SECRET)),
    "XMP (APP1)": jpeg_segment(0xE1, b"http://ns.adobe.com/xap/1.0/\0" + XMP),
    "comment": jpeg_segment(0xFE, SECRET),
    "another APP segment": jpeg_segment(0xEB, b"private\0" + SECRET),
}
PNG_EXTRAS = {
    "private chunk": png_chunk(b"prVt", SECRET),
    "XMP (iTXt)": png_chunk(b"iTXt", b"XML:com.adobe.xmp\0\0\0\0\0" + XMP),
    "compressed text": png_chunk(b"zTXt", b"Author\0\0" + zlib.compress(SECRET)),
    "EXIF chunk": png_chunk(b"eXIf", b"MM\0*\0\0\0\x08\0\0\0\0\0\0" + SECRET),
}


def stored_bytes(media_dir) -> bytes:
    """Return the bytes of the one stored image."""
    (path,) = media_dir.iterdir()
    return path.read_bytes()


@pytest.mark.parametrize("name", [*JPEG_EXTRAS, "data after EOI"])
def test_jpeg_iptc_xmp_comments_and_trailing_data_are_removed(app, instructor, media_dir, name):
    clean = image_bytes("JPEG", (16, 16))
    dirty = clean + SECRET if name == "data after EOI" else clean[:2] + JPEG_EXTRAS[name] + clean[2:]
    assert upload(instructor, dirty).status_code == 303
    stored = stored_bytes(media_dir)
    assert SECRET not in stored and stored.endswith(b"\xff\xd9")
    assert stored_image(app, media_dir).size == (16, 16)


@pytest.mark.parametrize("name", [*PNG_EXTRAS, "data after IEND"])
def test_png_private_chunks_xmp_and_trailing_data_are_removed_and_pixels_kept(app, instructor, media_dir, name):
    original = PILImage.new("RGBA", (8, 6), (255, 0, 0, 128))
    out = io.BytesIO()
    original.save(out, "PNG")
    clean = out.getvalue()
    iend = clean.rindex(b"IEND") - 4
    dirty = clean + SECRET if name == "data after IEND" else clean[:iend] + PNG_EXTRAS[name] + clean[iend:]
    assert upload(instructor, dirty).status_code == 303
    stored = stored_bytes(media_dir)
    assert SECRET not in stored and stored.endswith(png_chunk(b"IEND", b""))
    assert stored_image(app, media_dir).tobytes() == original.tobytes()


@pytest.mark.parametrize("extra", ["xmp", "trailing"])
def test_webp_xmp_and_trailing_data_are_removed(app, instructor, media_dir, extra):
    out = io.BytesIO()
    PILImage.new("RGB", (8, 6), "red").save(out, "WEBP", **({"xmp": XMP} if extra == "xmp" else {}))
    dirty = out.getvalue() + (SECRET if extra == "trailing" else b"")
    assert upload(instructor, dirty).status_code == 303
    stored = stored_bytes(media_dir)
    assert SECRET not in stored and struct.unpack("<I", stored[4:8])[0] + 8 == len(stored)


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_an_image_with_only_pixels_and_its_colour_profile_is_stored_byte_for_byte(app, instructor, media_dir, fmt):
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    PILImage.new("RGB", (8, 6), "red").save(out, fmt, icc_profile=profile)
    assert upload(instructor, out.getvalue()).status_code == 303
    assert stored_bytes(media_dir) == out.getvalue()


def test_a_re_encoded_image_keeps_its_colour_profile(app, instructor, media_dir):
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    PILImage.new("RGB", (8, 6), "red").save(out, "JPEG", icc_profile=profile, comment=SECRET)
    assert upload(instructor, out.getvalue()).status_code == 303
    assert SECRET not in stored_bytes(media_dir)
    assert stored_image(app, media_dir).info["icc_profile"] == profile
