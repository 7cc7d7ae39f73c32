"""gunicorn settings for production: several stateless workers behind a proxy; refuses to start unsafe."""

import os

from quizapp.config import weak_secret_reason

bind = os.environ.get("BIND", "0.0.0.0:8000")
# 4 on 2 cores: 2 served more pages and starts, 4 more whole attempts on PostgreSQL (docs/benchmarks.md, issue 20).
workers = int(os.environ.get("WEB_CONCURRENCY") or 4)
# The app reads it too: rate limits kept in one worker's memory are refused when several workers serve.
os.environ["WEB_CONCURRENCY"] = str(workers)
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "sync"
timeout = 30
graceful_timeout = 20
keepalive = 5
# The app is imported once, in the master, and each worker is a fork of it: a worker replaced after max_requests
# (a guard against slow leaks) starts in milliseconds instead of re-importing the app (~0.8 s of CPU each time).
preload_app = True
max_requests = 10000
max_requests_jitter = 1000
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
wsgi_app = "wsgi:app"


def pre_fork(server, worker):
    """Warm the master before it forks (preload_app): each worker is born with its templates compiled, pools read."""
    app = server.app.wsgi()
    if "sqlalchemy" in app.extensions:  # not the benchmark's bare Flask baseline
        from quizapp import warmup

        warmed = warmup.before_fork(app)
        if warmed:
            server.log.info(warmed)


def post_fork(server, worker):
    """Give each worker its own database connections: none opened in the master may be shared across a fork."""
    app = server.app.wsgi()
    if "sqlalchemy" in app.extensions:  # not the benchmark's bare Flask baseline
        from quizapp.extensions import db

        with app.app_context():
            db.engine.dispose(close=False)


_weak = weak_secret_reason(os.environ.get("SECRET_KEY", ""))
if _weak:
    raise SystemExit(
        f"gunicorn refuses to start: SECRET_KEY {_weak}. Anyone who knows the key can sign an admin session. "
        "Generate one with: python3 -c 'import secrets; print(secrets.token_hex(32))'"
    )
