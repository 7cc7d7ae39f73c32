"""Images uploaded for question text, stored by content hash under the instance folder."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from quizapp.clock import now
from quizapp.extensions import db

EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}


class Image(db.Model):
    """One stored image file: its SHA-256 names the file, so the same bytes are stored once."""

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    mime: Mapped[str] = mapped_column(String(32))
    size: Mapped[int]
    alt: Mapped[str] = mapped_column(String(300))
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=now)

    @property
    def ext(self) -> str:
        """Return the file extension that matches the stored type."""
        return EXTENSIONS[self.mime]

    @property
    def filename(self) -> str:
        """Return the stored file's name: the hash and the extension, never anything the uploader typed."""
        return f"{self.sha256}.{self.ext}"
