"""Configuration read from the environment when the app is created."""

from __future__ import annotations

import math
import os
import re
import zlib
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET = "dev-only-insecure-secret-key"  # noqa: S105 - refused outside development and testing
MIN_SECRET_BYTES = 32
MIN_SECRET_BITS = 128
# Unset means production: a server started by hand without settings refuses to run rather than run insecurely.
ENVIRONMENTS = ("development", "testing", "production")
LOOPBACK = ("127.0.0.1", "::1", "localhost")
XAPI_SETTINGS = ("XAPI_ENDPOINT", "XAPI_KEY", "XAPI_SECRET", "XAPI_SITE", "XAPI_ACTOR")
XAPI_ACTORS = ("account", "mbox_sha1sum", "mbox")
INTEGER_SETTINGS = (
    "DATABASE_PING_IDLE_SECONDS",
    "JOBS_MAX_RETRIES", "JOBS_RETRY_BACKOFF", "JOBS_VISIBILITY_TIMEOUT", "JOBS_RESTORE_SECONDS", "JOBS_STALE_SECONDS",
    "REMINDERS_EVERY_SECONDS", "SWEEP_EVERY_SECONDS",
)


class ConfigError(RuntimeError):
    """The configuration is unsafe or incomplete; the app refuses to start."""


def from_environment(instance_path: str, env: Mapping[str, str] | None = None) -> dict:
    """Build the settings mapping from environment variables."""
    env = os.environ if env is None else env
    mode = env.get("QUIZAPP_ENV", "production")
    database_url = env.get("DATABASE_URL") or f"sqlite:///{Path(instance_path) / 'quizapp.sqlite'}"
    return {
        "QUIZAPP_ENV": mode,
        "SECRET_KEY": env.get("SECRET_KEY") or (DEV_SECRET if mode in ("development", "testing") else ""),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        "QUESTIONS_DIR": env.get("QUESTIONS_DIR") or str(PROJECT_ROOT / "questions"),
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "memory://"),
        "MEDIA_DIR": env.get("MEDIA_DIR") or str(Path(instance_path) / "media"),
        "EXPORT_DIR": env.get("EXPORT_DIR") or str(Path(instance_path) / "exports"),
        "TRUSTED_PROXIES": env.get("TRUSTED_PROXIES", "0"),
        "WEB_CONCURRENCY": env.get("WEB_CONCURRENCY", "1"),
        # Background jobs: unset runs them in-process (development); production refuses to start without one.
        "BROKER_URL": env.get("BROKER_URL") or env.get("CELERY_BROKER_URL", ""),
        "RESULT_BACKEND_URL": env.get("RESULT_BACKEND_URL") or env.get("CELERY_RESULT_BACKEND", ""),
        "JOBS_QUEUE": env.get("JOBS_QUEUE") or "quizapp",
        # Outgoing mail: development and tests print it to the log (and the outbox); production needs a server.
        "MAIL_URL": env.get("MAIL_URL") or ("console" if mode in ("development", "testing") else ""),
        "MAIL_FROM": env.get("MAIL_FROM") or "quizapp <noreply@localhost>",
        # xAPI statements to a learning record store: off unless XAPI_ENDPOINT is set (docs/lti.md).
        **{name: env[name] for name in XAPI_SETTINGS if env.get(name)},
        # The site's address for links in e-mail sent by background work (reminders), where no request gives it.
        "PUBLIC_URL": env.get("PUBLIC_URL") or ("http://127.0.0.1:5000" if mode in ("development", "testing") else ""),
        **{name: int(env[name]) for name in INTEGER_SETTINGS if env.get(name, "").isdigit()},
        **pooler_options(env.get("DATABASE_POOLER", "")),
        "SESSION_COOKIE_SECURE": mode == "production",
        "REMEMBER_COOKIE_SECURE": mode == "production",
    }


def pooler_options(pooler: str) -> dict:
    """Return engine options for a connection pooler in front of PostgreSQL (DATABASE_POOLER=transaction)."""
    if pooler != "transaction":
        return {}
    # PgBouncer in transaction mode hands each transaction any server connection: psycopg's automatic prepared
    # statements (named per connection) would be missing on the next one, so they are turned off.
    options = {**DEFAULTS["SQLALCHEMY_ENGINE_OPTIONS"], "connect_args": {"prepare_threshold": None}}
    return {"SQLALCHEMY_ENGINE_OPTIONS": options}


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for plain postgres:// and postgresql:// URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


DEFAULTS = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_recycle": 3600},
    # A pooled connection idle this long is pinged before use, so one that died idle (a database restart at night)
    # is replaced unseen; a busy one is not (one round trip of six per page on PostgreSQL). A connection lost in use
    # is a 503 to retry, and the pool is renewed (tests/pg/test_connection_loss.py).
    "DATABASE_PING_IDLE_SECONDS": 10,
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
    # The bank import upload alone (an author's POST) may be this large: above IMPORT_INLINE_BYTES a worker parses it,
    # so the request only stores the file (a 2,500-question YAML bank file is about 3.8 MB).
    "IMPORT_MAX_BYTES": 8 * 1024 * 1024,
    "RATELIMIT_HEADERS_ENABLED": True,
    "LOGIN_RATE_LIMIT": "10 per minute;50 per hour",
    # The public certificate pages, per client address: enough for an employer, far too slow to guess a code.
    "VERIFY_RATE_LIMIT": "30 per minute;300 per hour",
    "ANSWER_GRACE_SECONDS": 30,
    # Above this many finished attempts a stored report is shown with how many finished since, until recalculated.
    "REPORT_INLINE_ATTEMPTS": 20_000,
    # Item statistics raise no flag (too easy, too hard, negative discrimination) for a question fewer attempts drew.
    "ITEM_FLAG_MIN_RESPONSES": 30,
    # Score exports above this many rows (and every XLSX) are written to a file by a worker, not streamed.
    "EXPORT_INLINE_ROWS": 50_000,
    # A bank file larger than this (bytes; about 200-300 GIFT questions) is imported by a worker once confirmed.
    "IMPORT_INLINE_BYTES": 100_000,
    # Minutes an uploaded file waits for its uploader to confirm the import (and its background report is kept).
    "IMPORT_STAGED_MINUTES": 60,
    # Hours an export file stays downloadable; `flask export sweep` deletes the older ones.
    "EXPORT_TTL_HOURS": 24,
    # A job failing with a transient error (a database disconnect) is retried this often, waiting 2, 4, 8… seconds.
    "JOBS_MAX_RETRIES": 3,
    "JOBS_RETRY_BACKOFF": 2,
    # Redis redelivers a job whose worker died without acknowledging it after this many seconds: longer than any job.
    "JOBS_VISIBILITY_TIMEOUT": 3600,
    # How often a worker looks for such unacknowledged jobs.
    "JOBS_RESTORE_SECONDS": 60,
    # A job still queued after this many seconds lost its message (the broker restarted empty): the sweep resends it.
    "JOBS_STALE_SECONDS": 2 * 3600,
    # Celery beat's schedule (quizapp/jobs/schedule.py): the reminders scan daily, the sweeps hourly.
    "REMINDERS_EVERY_SECONDS": 24 * 3600,
    "SWEEP_EVERY_SECONDS": 3600,
    "MAIL_URL": "console",
    "MAIL_FROM": "quizapp <noreply@localhost>",
    "PUBLIC_URL": "",
}


def check(config: Mapping) -> None:
    """Refuse to start with an unknown environment name or, in production, any unsafe setting."""
    mode = config.get("QUIZAPP_ENV")
    if mode not in ENVIRONMENTS:
        raise ConfigError(f"QUIZAPP_ENV must be one of {', '.join(ENVIRONMENTS)}; got {mode!r}")
    proxies = str(config.get("TRUSTED_PROXIES", "0"))
    if not proxies.isdigit() or int(proxies) > 5:
        raise ConfigError(f"TRUSTED_PROXIES must be the number of proxies in front of the app (0-5); got {proxies!r}")
    check_xapi(config)
    if mode == "production":
        check_production(config)


def check_xapi(config: Mapping) -> None:
    """Refuse xAPI settings that would send statements nowhere sensible: no site IRI, an unknown actor mode."""
    if not config.get("XAPI_ENDPOINT"):
        return
    for name in ("XAPI_ENDPOINT", "XAPI_SITE"):
        if not str(config.get(name) or "").startswith(("https://", "http://")):
            raise ConfigError(f"{name} must be an http(s) URL when XAPI_ENDPOINT is set (docs/lti.md, xAPI)")
    if config.get("XAPI_ACTOR", "account") not in XAPI_ACTORS:
        raise ConfigError(f"XAPI_ACTOR must be one of {', '.join(XAPI_ACTORS)}; got {config.get('XAPI_ACTOR')!r}")


def check_production(config: Mapping) -> None:
    """Refuse to run in production with a weak secret, debug on, no job broker, per-worker rate limits, no mail or
    no public address for mailed links."""
    reason = weak_secret_reason(config.get("SECRET_KEY") or "")
    if reason:
        raise ConfigError(
            f"SECRET_KEY {reason}; production needs at least {MIN_SECRET_BYTES} random bytes: "
            f"generate one with: python3 -c 'import secrets; print(secrets.token_hex(32))'"
        )
    if config.get("DEBUG"):
        raise ConfigError("debug must be off in production")
    check_broker(config)
    workers = str(config.get("WEB_CONCURRENCY", "1"))
    memory = str(config.get("RATELIMIT_STORAGE_URI", "memory://")).startswith("memory://")
    if memory and (not workers.isdigit() or int(workers) > 1):
        raise ConfigError(
            f"RATELIMIT_STORAGE_URI is memory:// with WEB_CONCURRENCY={workers}: each worker would count sign-in "
            f"attempts alone; set RATELIMIT_STORAGE_URI=redis://host:6379/0"
        )
    check_mail(config)
    check_public_url(config)


def check_public_url(config: Mapping) -> None:
    """Refuse to run in production without the https address that links in background mail (reminders) point to."""
    url = str(config.get("PUBLIC_URL") or "")
    if not re.fullmatch(r"https://[^\s/?#]+(/[^\s?#]*)?", url):
        raise ConfigError(
            f"PUBLIC_URL is {url or 'not set'}: production mails links (reminders, unsubscribe) made by background "
            "work, where no request gives the address; set PUBLIC_URL=https://quiz.example.org"
        )


def check_broker(config: Mapping) -> None:
    """Refuse to run in production without a broker: jobs would otherwise run inside web requests."""
    if not config.get("BROKER_URL"):
        raise ConfigError(
            "BROKER_URL is not set: production runs long work (item statistics, large exports) on background "
            "workers, never inside web requests; set BROKER_URL=redis://host:6379/1 and start a worker with: "
            "python3 dev.py worker"
        )


def check_mail(config: Mapping) -> None:
    """Refuse to run in production with mail printed to the log (or no MAIL_URL): password resets would never arrive."""
    url = config.get("MAIL_URL") or ""
    if url in ("", "console"):
        raise ConfigError(
            f"MAIL_URL is {url or 'not set'}: production sends e-mail (password resets) through a mail server; "
            "set MAIL_URL=smtp://user:password@host:587 (STARTTLS) or smtps://user:password@host:465"
        )
    if not url.startswith(("smtp://", "smtps://")):
        raise ConfigError(f"MAIL_URL must start with smtp:// or smtps://; got {url.split(':', 1)[0]}://…")


def weak_secret_reason(secret: str) -> str | None:
    """Say why a secret key is unsafe (missing, published, short, or guessable), or None when it is strong."""
    if not secret:
        return "is not set"
    if secret == DEV_SECRET:
        return "is the published development key"
    data = secret.encode()
    if len(data) < MIN_SECRET_BYTES:
        return f"is {len(data)} bytes long"
    counts = Counter(secret)
    bits = -sum(n * math.log2(n / len(secret)) for n in counts.values())
    # Repeated words ("changeme" * 4) spread over few characters or compress to a fraction of their length.
    if bits < MIN_SECRET_BITS or len(zlib.compress(data, 9)) < len(data) * 0.6:
        return "is guessable (too little randomness: repeated or patterned characters)"
    return None
