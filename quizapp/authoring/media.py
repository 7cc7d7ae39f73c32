"""Images for question text: checked by content, stored under the instance folder by hash, never by their name."""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
import warnings
from pathlib import Path

from flask import current_app
from PIL import Image as PILImage
from PIL import ImageOps
from sqlalchemy import event, select
from sqlalchemy.orm import Session, SessionTransaction

from quizapp.authoring import media_chunks
from quizapp.errors import DomainError
from quizapp.extensions import db
from quizapp.models import Image, User
from quizapp.models.image import EXTENSIONS

MAX_BYTES = 1024 * 1024
MAX_PIXELS = 25_000_000  # e.g. 5000 x 5000: far beyond any question image, far below a decompression bomb
PIL_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG", "image/webp": "WEBP"}
ORIENTATION = 0x0112
PENDING = "media_files_to_write"  # session.info key: (transaction, path, bytes) written at commit
STORED_NAME = re.compile(r"^(?P<sha>[0-9a-f]{64})\.(?P<ext>png|jpg|webp)$")


class ImageRefused(DomainError):
    """An upload that is not an acceptable image, with the reason to show."""


def media_dir() -> Path:
    """Return the folder images are stored in (MEDIA_DIR, else instance/media)."""
    return Path(current_app.config.get("MEDIA_DIR") or Path(current_app.instance_path) / "media")


def sniff(data: bytes) -> str:
    """Return the image type the bytes really are (magic numbers), refusing anything else with a reason."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    head = data[:2048].lstrip().lower()
    if b"<svg" in head or head.startswith(b"<?xml"):
        raise ImageRefused("SVG images are not accepted, because they can carry scripts. Save it as PNG instead.")
    raise ImageRefused("This file is not a PNG, JPEG or WebP image (its content was checked, not its name).")


def verify(data: bytes, mime: str) -> None:
    """Open and fully decode the image with Pillow, refusing damaged files and huge pixel counts."""
    kind = PIL_FORMATS[mime]
    damaged = ImageRefused(f"This file starts like a {kind} image but could not be read; it may be damaged.")
    with warnings.catch_warnings():
        warnings.simplefilter("error", PILImage.DecompressionBombWarning)
        try:
            with PILImage.open(io.BytesIO(data), formats=[kind]) as im:
                if im.width * im.height > MAX_PIXELS:
                    raise ImageRefused(f"The image is {im.width}×{im.height} pixels; make it smaller than 5000×5000.")
                im.verify()
            with PILImage.open(io.BytesIO(data), formats=[kind]) as im:
                im.load()
        except ImageRefused:
            raise
        except (OSError, SyntaxError, ValueError, PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
            raise damaged from None


def without_metadata(data: bytes, mime: str) -> bytes:
    """Return the image as only its pixels and what a browser needs (colour profile, transparency), upright."""
    # A file made of nothing else is returned byte for byte; any other is re-encoded from its pixels, which
    # drops EXIF (GPS position, device), XMP, IPTC, comments, text and private chunks and any data after the end.
    if media_chunks.only_rendering_data(data, mime):
        return data
    kind = PIL_FORMATS[mime]
    with PILImage.open(io.BytesIO(data), formats=[kind]) as im:
        im.load()
        options = {"icc_profile": im.info.get("icc_profile")}
        if kind == "PNG" and "transparency" in im.info:
            options["transparency"] = im.info["transparency"]
        upright = im if im.getexif().get(ORIENTATION, 1) == 1 else ImageOps.exif_transpose(im)
        if kind == "JPEG" and upright is im:
            options.update(quality="keep", subsampling="keep")
        elif kind == "JPEG":
            options["quality"] = 95
        elif kind == "WEBP":
            options["quality"] = 90
        upright.info = {}  # the encoders fall back on it (a JPEG's comment is written back from it)
        out = io.BytesIO()
        upright.save(out, kind, **{k: v for k, v in options.items() if v is not None})
        return out.getvalue()


def store(data: bytes, alt: str, uploader: User | None) -> Image:
    """Check an upload (or an imported image); store it as instance/media/<sha256>.<ext> at commit, once per bytes."""
    if not data:
        raise ImageRefused("The file is empty.")
    if len(data) > MAX_BYTES:
        raise ImageRefused("The image is larger than 1 MB. Make it smaller and upload it again.")
    mime = sniff(data)
    verify(data, mime)
    data = without_metadata(data, mime)
    digest = hashlib.sha256(data).hexdigest()
    image = db.session.execute(select(Image).where(Image.sha256 == digest)).scalar_one_or_none()
    if image is None:
        uploader_id = uploader.id if uploader is not None else None
        image = Image(sha256=digest, mime=mime, size=len(data), alt=alt, uploaded_by=uploader_id)
        db.session.add(image)
    if alt:  # the latest description is the one offered in the snippet (an imported image brings none)
        image.alt = alt
    _write_on_commit(media_dir() / image.filename, data)
    db.session.flush()
    return image


def _write_on_commit(path: Path, data: bytes) -> None:
    """Queue the file to be written when the transaction commits: a rollback or a preview's savepoint writes nothing."""
    session = db.session()
    within = session.get_nested_transaction() or session.get_transaction()
    session.info.setdefault(PENDING, []).append((within, path, data))


@event.listens_for(Session, "after_commit")
def _write_pending(session: Session) -> None:
    """Write the files of a committed transaction (a savepoint's wait for the transaction around it)."""
    if not session.in_nested_transaction():
        for _, path, data in session.info.pop(PENDING, ()):
            _write(path, data)


@event.listens_for(Session, "after_soft_rollback")
def _drop_pending(session: Session, ended: SessionTransaction) -> None:
    """Forget the files queued within a transaction (or savepoint) that rolled back."""
    if session.info.get(PENDING):
        session.info[PENDING] = [p for p in session.info[PENDING] if not _inside(p[0], ended)]


def _inside(transaction: SessionTransaction | None, ended: SessionTransaction) -> bool:
    """Whether `transaction` is `ended` or began within it."""
    while transaction is not None:
        if transaction is ended:
            return True
        transaction = transaction.parent
    return False


def _write(path: Path, data: bytes) -> None:
    """Write a file atomically (a temporary file renamed into place), unless it is already there."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def find(name: str) -> Image | None:
    """Return the stored image a /media/<sha256>.<ext> name refers to, or None (bad names never reach the disk)."""
    match = STORED_NAME.match(name)
    if match is None:
        return None
    image = db.session.execute(select(Image).where(Image.sha256 == match["sha"])).scalar_one_or_none()
    return image if image is not None and EXTENSIONS[image.mime] == match["ext"] else None


def stored_bytes(name: str) -> bytes | None:
    """Return a stored image's bytes by its /media file name (None when unknown or missing on disk): for exports."""
    image = find(name)
    if image is None:
        return None
    try:
        return (media_dir() / image.filename).read_bytes()
    except OSError:
        return None


def recent(limit: int = 50) -> list[Image]:
    """Return the latest uploads, newest first."""
    stmt = select(Image).order_by(Image.created_at.desc(), Image.id.desc()).limit(limit)
    return list(db.session.execute(stmt).scalars())


def snippet(image: Image, url: str) -> str:
    """Return the Markdown that shows the image, with its alt text made safe for the brackets."""
    alt = " ".join(image.alt.split()).replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    return f"![{alt}]({url})"
