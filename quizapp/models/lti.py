"""LTI 1.3: platform registrations, the tool's keys, logins in flight, launched users and launches, grades to send."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.clock import now
from quizapp.extensions import db
from quizapp.models.attempt import Attempt
from quizapp.models.user import User


class LtiRegistration(db.Model):
    """A platform (an LMS) registered by an admin: who it is, where its keys and endpoints are."""

    __table_args__ = (UniqueConstraint("issuer", "client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    issuer: Mapped[str] = mapped_column(String(255))
    client_id: Mapped[str] = mapped_column(String(255))
    deployment_ids: Mapped[list] = mapped_column(JSON, default=list)
    key_set_url: Mapped[str] = mapped_column(String(500))
    auth_login_url: Mapped[str] = mapped_column(String(500))
    auth_token_url: Mapped[str] = mapped_column(String(500))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=now)


class LtiKey(db.Model):
    """One of the tool's RSA signing keys; the newest unretired one signs, retired ones stay published a while."""

    id: Mapped[int] = mapped_column(primary_key=True)
    kid: Mapped[str] = mapped_column(String(64), unique=True)
    private_pem: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=now)
    retired_at: Mapped[datetime | None]


class LtiLogin(db.Model):
    """An OIDC login in flight: the state and nonce sent to the platform, used once by the launch."""

    state: Mapped[str] = mapped_column(String(64), primary_key=True)
    nonce: Mapped[str] = mapped_column(String(64))
    registration_id: Mapped[int] = mapped_column(ForeignKey("lti_registration.id"))
    created_at: Mapped[datetime] = mapped_column(default=now, index=True)


class LtiUser(db.Model):
    """The platform's user (issuer + subject) matched to a quizapp account, which has no usable password."""

    __table_args__ = (UniqueConstraint("issuer", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), unique=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("lti_registration.id"))

    user: Mapped[User] = relationship()


class LtiLaunch(db.Model):
    """A validated launch: the few claims the tool needs later (quiz, line item, deep-linking return)."""

    __table_args__ = (Index("ix_lti_launch_user_quiz", "user_id", "quiz_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("lti_registration.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    subject: Mapped[str] = mapped_column(String(255))
    deployment_id: Mapped[str] = mapped_column(String(255))
    message_type: Mapped[str] = mapped_column(String(40))
    quiz_id: Mapped[int | None] = mapped_column(ForeignKey("quiz.id"))
    resource_link_id: Mapped[str | None] = mapped_column(String(255))
    context_id: Mapped[str | None] = mapped_column(String(255))
    lineitem_url: Mapped[str | None] = mapped_column(String(500))
    lineitems_url: Mapped[str | None] = mapped_column(String(500))
    ags_scopes: Mapped[list] = mapped_column(JSON, default=list)
    deep_link_return_url: Mapped[str | None] = mapped_column(String(500))
    deep_link_data: Mapped[str | None] = mapped_column(Text)
    deep_link_multiple: Mapped[bool | None]  # the platform's accept_multiple (None: not said)
    instructor: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=now)

    registration: Mapped[LtiRegistration] = relationship()


class GradeStatus(enum.StrEnum):
    """Where a grade to send stands: waiting (or retrying), sent, or given up."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class LtiGrade(db.Model):
    """The outbox: a score to post to the platform's line item, sent by background work with retries."""

    __table_args__ = (UniqueConstraint("attempt_id", "launch_id"), Index("ix_lti_grade_status", "status", "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id"))
    launch_id: Mapped[int] = mapped_column(ForeignKey("lti_launch.id"))
    lineitem_url: Mapped[str | None] = mapped_column(String(500))
    score_given: Mapped[float]
    score_maximum: Mapped[float]
    comment: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(20), default=GradeStatus.PENDING)
    tries: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=now)
    sent_at: Mapped[datetime | None]

    attempt: Mapped[Attempt] = relationship()
    launch: Mapped[LtiLaunch] = relationship()
