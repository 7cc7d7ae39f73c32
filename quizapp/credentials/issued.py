"""The certificates issued, as the admin lists and downloads them: one set of filters for the page and the CSV."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import joinedload

from quizapp import audit, clock
from quizapp.credentials import codes
from quizapp.extensions import db
from quizapp.models import AuditEvent, Certificate, User

STATES = {"all": "All", "valid": "Valid", "revoked": "Revoked"}
PER_PAGE = 50
BATCH = 1000
COLUMNS = (
    "code",
    "name_on_certificate",
    "learner_email",
    "quiz",
    "track",
    "completed_on",
    "percent",
    "score",
    "max_score",
    "issued_at",
    "revoked_at",
    "revoked_reason",
)


@dataclass(frozen=True)
class Filters:
    """Which certificates: by state, quiz title and UTC issue dates (inclusive); the defaults take every one."""

    state: str = "all"
    quiz: str | None = None
    since: date | None = None
    until: date | None = None

    def as_args(self) -> dict[str, str]:
        """Return the filters that are set, as query-string values (the pager, the CSV form and the audit log)."""
        values = {
            "state": self.state if self.state != "all" else None,
            "quiz": self.quiz,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
        }
        return {name: value for name, value in values.items() if value}


def quiz_titles() -> list[str]:
    """Return the quiz titles certificates were issued for, alphabetically (the filter's choices)."""
    return list(db.session.scalars(select(Certificate.quiz_title).distinct().order_by(Certificate.quiz_title)))


def conditions(filters: Filters) -> list:
    """Return the WHERE conditions on `Certificate` for these filters."""
    where = []
    if filters.state == "valid":
        where.append(Certificate.revoked_at.is_(None))
    elif filters.state == "revoked":
        where.append(Certificate.revoked_at.is_not(None))
    if filters.quiz:
        where.append(Certificate.quiz_title == filters.quiz)
    if filters.since:
        where.append(Certificate.issued_at >= datetime.combine(filters.since, time.min))
    if filters.until:
        where.append(Certificate.issued_at < datetime.combine(filters.until + timedelta(days=1), time.min))
    return where


NEWEST_FIRST = (Certificate.issued_at.desc(), Certificate.id.desc())


def page(filters: Filters, number: int):
    """Return a page of the matching certificates, newest first, with their accounts."""
    stmt = select(Certificate).options(joinedload(Certificate.user)).where(*conditions(filters)).order_by(*NEWEST_FIRST)
    return db.paginate(stmt, page=number, per_page=PER_PAGE, error_out=False)


def count(filters: Filters) -> int:
    """Return how many certificates match."""
    return db.session.scalar(select(func.count(Certificate.id)).where(*conditions(filters)))


def _moment(value: datetime | None) -> str | None:
    """Return a stored UTC time as ISO 8601 with a Z, or None."""
    return value.isoformat(timespec="seconds") + "Z" if value else None


def rows(filters: Filters, engine: Engine) -> Iterator[list]:
    """Yield one CSV row per matching certificate, newest first, read in batches on a connection of its own.

    Not the request's session: a streamed download then needs no request context, and one abandoned half-way closes
    its connection when the generator is closed.
    """
    c = Certificate
    stmt = (
        select(c.code, c.name, User.email, c.quiz_title, c.track_title, c.completed_on, c.percent, c.score)
        .add_columns(c.max_score, c.issued_at, c.revoked_at, c.revoked_reason)
        .join(User, User.id == c.user_id)
        .where(*conditions(filters))
        .order_by(*NEWEST_FIRST)
        .execution_options(yield_per=BATCH)
    )
    with engine.connect() as connection:
        for partition in connection.execute(stmt).partitions():
            for r in partition:
                yield [codes.grouped(r[0]), *r[1:5], r[5].isoformat(), *r[6:9], _moment(r[9]), _moment(r[10]), r[11]]


def log(filters: Filters, admin: User, total: int) -> AuditEvent:
    """Record the download in the audit log (before streaming, so a failed download is still logged)."""
    return audit.record(admin, "certificate.export", "certificates", filters=filters.as_args(), rows=total)


def filename() -> str:
    """Return the server-chosen download name, e.g. quizapp-certificates-20261205T2300Z.csv."""
    return f"quizapp-certificates-{clock.now():%Y%m%dT%H%MZ}.csv"
