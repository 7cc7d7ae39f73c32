"""A bank file uploaded for import and waiting for its uploader's confirmation, then the report of its import."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from quizapp.clock import now
from quizapp.extensions import db


class StagedImport(db.Model):
    """An uploaded file kept server-side under an unguessable token, so confirming does not ask for it again."""

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("bank.id"), index=True)
    format: Mapped[str] = mapped_column(String(20))
    strict: Mapped[bool] = mapped_column(default=False)
    name: Mapped[str] = mapped_column(String(100))  # the sanitised upload name, for messages only
    text: Mapped[str] = mapped_column(Text)  # emptied once imported
    size: Mapped[int] = mapped_column(default=0)  # bytes of the upload as UTF-8
    created_at: Mapped[datetime] = mapped_column(default=now)
    expires_at: Mapped[datetime] = mapped_column(index=True)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("job.id"))  # the import job, when it ran in the background
    report: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))  # what the import did, once done
    preview_job_id: Mapped[int | None] = mapped_column(ForeignKey("job.id"))  # the dry run's job, for a large file
    preview: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))  # what importing would do, once previewed
