"""Fixtures: an app on a migrated database (SQLite, or PostgreSQL via TEST_DATABASE_URL), clients, factories."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select, text
from werkzeug.security import generate_password_hash

# Apps built by tests without a full mapping are test apps, never production (which an unset QUIZAPP_ENV means).
os.environ.setdefault("QUIZAPP_ENV", "testing")

from quizapp import create_app
from quizapp.accounts import users
from quizapp.banks import sync
from quizapp.config import normalise_database_url
from quizapp.extensions import db
from quizapp.models import User
from tests.support import PASSWORD, login_with_token

TESTS = Path(__file__).resolve().parent
DATA = TESTS / "data"
PROJECT = TESTS.parent
SHARED = PROJECT.parent / "shared"
INSTRUCTOR = "author@example.org"
ADMIN = "admin@example.org"
FAST = "pbkdf2:sha256:1000"
JOBS_QUEUE = f"quizapp-test-{os.getpid()}"  # test runs sharing the machine's Redis never take each other's jobs
TABLES = [
    "staged_import", "reminder", "mail_preference", "email_verification",
    "password_reset", "outbox", "certificate", "learner_card", "credential_privacy",
    "lti_grade", "lti_launch", "lti_user", "lti_login", "lti_key", "lti_registration",
    "job", "pool_stamp", "learner_profile", "report_snapshot", "response", "attempt", "audit_event", "image", "quiz",
    "question_version", "question", "bank", "one_time_secret", "user",
]


def base_config(database_url: str) -> dict:
    """Return the settings every test app starts from."""
    return {
        "TESTING": True,
        "QUIZAPP_ENV": "testing",
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "QUESTIONS_DIR": str(PROJECT / "questions"),
        "JOBS_QUEUE": JOBS_QUEUE,
    }


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """Build the schema once per run with the real migrations, and return the database URL."""
    url = os.environ.get("TEST_DATABASE_URL")
    url = normalise_database_url(url) if url else f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
    app = create_app(base_config(url))
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        upgrade()
        db.engine.dispose()
    return url


@pytest.fixture
def is_postgres(database_url) -> bool:
    """Whether this run uses PostgreSQL."""
    return database_url.startswith("postgresql")


@pytest.fixture
def app(database_url):
    """A fresh app over an empty (but migrated) database."""
    app = create_app(base_config(database_url))
    yield app
    with app.app_context():
        db.session.remove()
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in TABLES) + " RESTART IDENTITY CASCADE"))
        else:
            db.session.execute(text("UPDATE question SET current_version_id = NULL"))
            for table in TABLES:
                db.session.execute(text(f'DELETE FROM "{table}"'))  # noqa: S608 - fixed table names
        db.session.commit()
        db.engine.dispose()


@pytest.fixture
def make_app(database_url, app):
    """Build extra apps on the test database (e.g. with CSRF or rate limits on); their connections close after."""
    made = []

    def factory(**overrides):
        extra = create_app({**base_config(database_url), **overrides})
        made.append(extra)
        return extra

    yield factory
    for extra in made:
        with extra.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def csrf_app(make_app):
    """A second app on the test database with CSRF protection on, as in production."""
    return make_app(WTF_CSRF_ENABLED=True)


@pytest.fixture
def client(app):
    """A test client."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner."""
    return app.test_cli_runner()


def make_user(app, email: str = "learner@example.org", role: str = "learner", name: str = "Lee Learner") -> int:
    """Create a user with the shared test password and return its id."""
    with app.app_context():
        user = users.register(email, name, PASSWORD, role)
        db.session.commit()
        return user.id


def login(client, email: str = "learner@example.org", password: str = PASSWORD):
    """Sign in through the real form."""
    return client.post("/auth/login", data={"email": email, "password": password})


class AuthActions:
    """Sign in as a new learner, instructor or admin through the real login form (as Flask's tutorial `auth`)."""

    def __init__(self, app, client):
        """Create users in `app`; sign `client` in unless another client is given."""
        self.app, self.client = app, client

    def sign_in(self, role: str = "learner", email: str | None = None, name: str | None = None, client=None):
        """Create a user with `role` (email `<role>@example.org` unless given) and sign a client in; return it."""
        email = email or f"{role}@example.org"
        make_user(self.app, email, role, **({"name": name} if name else {}))
        client = client or self.client
        if client.application.config["WTF_CSRF_ENABLED"]:
            assert login_with_token(client, email).status_code == 303
        else:
            login(client, email)
        return client


@pytest.fixture
def auth(app, client) -> AuthActions:
    """Sign-in actions: `auth.sign_in("admin")` returns the test client signed in as a new admin."""
    return AuthActions(app, client)


def import_paths(app, *paths: Path) -> sync.ImportReport:
    """Import bank/quiz files and commit."""
    with app.app_context():
        report = sync.import_files(sync.load(paths))
        db.session.commit()
        return report


@pytest.fixture
def demo(app):
    """The demo bank and quizzes, imported."""
    return import_paths(app, DATA / "demo-bank.yaml", DATA / "demo-quizzes.yaml")


@pytest.fixture
def learner(auth, demo):
    """A signed-in learner with the demo quizzes available; returns the client."""
    return auth.sign_in("learner")


@pytest.fixture
def instructor(auth, demo):
    """A signed-in instructor with the demo bank and quizzes imported; returns the client."""
    return auth.sign_in("instructor", INSTRUCTOR, "Ada Author")


@pytest.fixture
def csrf_instructor(auth, csrf_app, demo):
    """An instructor signed in to a second app on the same database with CSRF protection on (as in production)."""
    return auth.sign_in("instructor", INSTRUCTOR, client=csrf_app.test_client())


@pytest.fixture
def admin(auth, demo):
    """A signed-in admin (the demo quizzes imported); returns the client."""
    return auth.sign_in("admin", ADMIN, "Ada Admin")


def quick_user(app, email: str, name: str, role: str = "learner") -> int:
    """Create a user whose password (the shared test one) is hashed cheaply: scrypt dominates these tests' time."""
    with app.app_context():
        user = User(email=email, display_name=name, role=role, password_hash=generate_password_hash(PASSWORD, FAST))
        db.session.add(user)
        db.session.commit()
        return user.id


def signed_in(app, email: str, name: str | None = None, role: str = "learner"):
    """Create a user (unless `name` is None) and return a test client signed in as them."""
    if name is not None:
        quick_user(app, email, name, role)
    client = app.test_client()
    assert login(client, email).status_code == 303
    return client


def count(app, model, *where) -> int:
    """Count rows of a model, optionally filtered."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))
