"""Shared benchmark helpers: databases, seeded learners, signed sessions, gunicorn, percentiles and reports."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
sys.path.insert(0, str(ROOT))

PG_SERVER = "postgresql://postgres@127.0.0.1:5432"
SECRET_KEY = secrets.token_hex(32)  # one per run, shared by the bench process and its gunicorn servers
# Production refuses to start without a job broker; a recalculation asked for in a bench run waits in this queue.
BROKER_URL = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/13")
# Production refuses to start without a mail server; the benchmark sends no mail, so nothing listens here.
MAIL_URL = "smtp://127.0.0.1:2525"
PUBLIC_URL = "https://bench.invalid"  # production refuses to start without the address mailed links use
USER_AGENT = "quizapp-bench/1"
PASSWORD = "bench password that nobody types"  # noqa: S105 - hashed once; nobody signs in with it over HTTP
INTAKE = {
    "role": "nurse",
    "employer_requires": "bls",
    "clinical_setting": "y",
    "cares_for": "adults",
    "regulatory": "none",
    "current_card": "none",
}
QUIZ = "bls-readiness"  # the shipped quiz that draws 30 questions and asks the intake


def fail(message: str) -> None:
    """Stop the benchmark with a clear message."""
    raise SystemExit(f"bench: {message}")


def need_wrk() -> str:
    """Return wrk's path or stop with a clear error."""
    path = shutil.which("wrk")
    if path is None:
        fail("wrk is not installed (apt-get install wrk)")
    return path


def need_postgres() -> None:
    """Stop with a clear error when PostgreSQL does not answer on 127.0.0.1:5432."""
    import psycopg

    try:
        psycopg.connect(f"{PG_SERVER}/postgres", connect_timeout=3).close()
    except psycopg.OperationalError as exc:
        fail(f"PostgreSQL is not reachable at {PG_SERVER} ({exc}); start it or pass --sqlite-only where offered")


def fresh_database(kind: str, name: str) -> str:
    """Create an empty bench database (PostgreSQL `name`, or a SQLite file) and return its URL."""
    if not name.startswith("quizapp_bench"):
        fail(f"refusing to touch database {name!r}: bench databases are named quizapp_bench*")
    if kind == "sqlite":
        path = RESULTS / "db" / f"{name}.sqlite"
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    need_postgres()
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{PG_SERVER}/{name}"


def make_app(url: str, secret_key: str | None = None, **settings):
    """Return the real app (production mode, the run's SECRET_KEY, limits off unless `settings` say) over `url`."""
    from quizapp import create_app

    return create_app(
        {
            "QUIZAPP_ENV": "production",
            "SECRET_KEY": secret_key or SECRET_KEY,
            "BROKER_URL": BROKER_URL,
            "MAIL_URL": MAIL_URL,
            "PUBLIC_URL": PUBLIC_URL,
            "SQLALCHEMY_DATABASE_URI": _sqlalchemy_url(url),
            "RATELIMIT_ENABLED": False,
            "QUESTIONS_DIR": str(ROOT / "questions"),
            **settings,
        }
    )


def _sqlalchemy_url(url: str) -> str:
    """Use the app's own URL normalisation (psycopg 3 for PostgreSQL)."""
    from quizapp.config import normalise_database_url

    return normalise_database_url(url)


def prepare(url: str, banks: tuple[Path, ...] = (ROOT / "questions",)):
    """Migrate an empty database, import the question banks and quizzes; return the in-process app."""
    from flask_migrate import upgrade

    from quizapp.banks import sync as bank_service
    from quizapp.extensions import db

    app = make_app(url)
    with app.app_context():
        upgrade()
        bank_service.import_files(bank_service.load(banks))
        db.session.commit()
    return app


def add_learners(app, count: int, prefix: str) -> list[int]:
    """Create `count` learners in one statement with one precomputed password hash; return their ids."""
    from sqlalchemy import insert, select
    from werkzeug.security import generate_password_hash

    from quizapp.extensions import db
    from quizapp.models import User

    digest = generate_password_hash(PASSWORD)
    emails = [f"{prefix}-{i:05d}@bench.invalid" for i in range(count)]
    rows = [{"email": e, "display_name": f"Bench {i}", "password_hash": digest, "role": "learner"} for i, e in
            enumerate(emails)]
    with app.app_context():
        db.session.execute(insert(User), rows)
        db.session.commit()
        ids = dict(db.session.execute(select(User.email, User.id).where(User.email.in_(emails))).all())
    return [ids[e] for e in emails]


@dataclass
class Learner:
    """A signed-in learner as the server sees one: a signed session cookie and its CSRF token."""

    user_id: int
    cookie: str
    csrf: str

    def headers(self) -> dict[str, str]:
        """Return the request headers that carry this learner's session."""
        return {"Cookie": f"session={self.cookie}", "User-Agent": USER_AGENT, "X-CSRFToken": self.csrf}


def sign_in(app, user_ids: list[int]) -> list[Learner]:
    """Make each user's session cookie and CSRF token in-process, as the login view would (no HTTP, no scrypt)."""
    from flask import session
    from flask_login import login_user
    from flask_wtf.csrf import generate_csrf

    from quizapp.extensions import db
    from quizapp.models import User

    serializer = app.session_interface.get_signing_serializer(app)
    learners = []
    env = {"REMOTE_ADDR": "127.0.0.1"}
    # One request context (and so one app context and `g`, where the CSRF token is cached) per learner.
    for uid in user_ids:
        with app.test_request_context("/auth/login", headers={"User-Agent": USER_AGENT}, environ_base=env):
            session.clear()
            login_user(db.session.get(User, uid))
            session.permanent = True
            token = generate_csrf()
            learners.append(Learner(uid, serializer.dumps(dict(session)), token))
    return learners


def start_attempts(app, learners: list[Learner], slug: str = QUIZ) -> list[tuple[str, list]]:
    """Start one attempt per learner in-process; return (public_id, layout) for each."""
    from sqlalchemy import select

    from quizapp.extensions import db
    from quizapp.models import Quiz, User
    from quizapp.taking import attempts

    intake = {**INTAKE, "clinical_setting": True, "cares_for": [INTAKE["cares_for"]]}
    out = []
    with app.app_context():
        quiz = db.session.execute(select(Quiz).where(Quiz.slug == slug)).scalar_one()
        for learner in learners:
            attempt = attempts.start(quiz, db.session.get(User, learner.user_id), intake=intake)
            db.session.commit()
            out.append((attempt.public_id, attempt.layout))
    return out


class Answers:
    """Builds valid answer forms for any slot, from the versions in the database (parsed once)."""

    def __init__(self, app) -> None:
        """Load every question version's parsed spec."""
        from sqlalchemy import select

        from quizapp.extensions import db
        from quizapp.models import QuestionVersion

        with app.app_context():
            self.specs = {v.id: v.spec() for v in db.session.execute(select(QuestionVersion)).scalars()}

    def form(self, slot: dict, correct: bool = True) -> dict:
        """Return the form fields answering one layout slot right (or wrong)."""
        from tests.taking.helpers import form_for

        spec = self.specs[slot["v"]]
        return form_for(slot, SimpleNamespace(spec=lambda: spec), correct)


def percentile(values: list[float], p: float) -> float | None:
    """Return the p-th percentile (nearest rank) of `values`, or None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def latency_summary(seconds: list[float]) -> dict:
    """Return p50/p95/p99/max in milliseconds."""
    return {f"p{p}_ms": _ms(percentile(seconds, p)) for p in (50, 95, 99)} | {"max_ms": _ms(max(seconds, default=None))}


def _ms(value: float | None) -> float | None:
    """Seconds to milliseconds, rounded."""
    return None if value is None else round(value * 1000, 1)


def table(rows: list[dict], columns: list[str]) -> str:
    """Return a markdown table of `rows` restricted to `columns`."""
    def cell(v):
        return "" if v is None else f"{v:.3g}" if isinstance(v, float) and abs(v) < 10 else str(v)

    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(r.get(c)) for c in columns) + " |" for r in rows]
    return "\n".join(lines)


def machine() -> dict:
    """Describe the machine and the load on it, for the record."""
    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), "unknown")
    return {"nproc": os.cpu_count(), "cpu": cpu, "loadavg": Path("/proc/loadavg").read_text().split()[:3],
            "python": sys.version.split()[0], "time": time.strftime("%Y-%m-%d %H:%M:%S")}


def write_result(name: str, data: dict) -> Path:
    """Write one benchmark's figures to bench/results/<name>.json."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps({"machine": machine(), **data}, indent=2, default=str))
    return path


class Layouts:
    """Reads an attempt's layout (which question version sits in which slot), as the client needs to answer."""

    def __init__(self, url: str) -> None:
        """Open a small engine on the bench database."""
        from sqlalchemy import create_engine

        self.engine = create_engine(_sqlalchemy_url(url), pool_size=2)

    def get(self, public_id: str) -> list:
        """Return the attempt's layout."""
        from sqlalchemy import select

        from quizapp.models import Attempt

        with self.engine.connect() as conn:
            return conn.execute(select(Attempt.layout).where(Attempt.public_id == public_id)).scalar_one()

    def close(self) -> None:
        """Dispose of the engine."""
        self.engine.dispose()
