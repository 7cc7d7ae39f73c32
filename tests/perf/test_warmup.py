"""gunicorn's master warms the app before it forks: workers are born with templates compiled and pools read."""

import gc
import os
import subprocess
import sys
import time
import urllib.request

import pytest
from sqlalchemy import func, select

from quizapp import warmup
from quizapp.extensions import db
from quizapp.models import Quiz
from quizapp.recommendation import stored
from quizapp.taking.drawing import pool
from tests.conftest import PROJECT
from tests.security.test_fail_closed import BROKER, MAIL, PUBLIC, STRONG
from tests.support import free_port


@pytest.fixture
def cold():
    """Empty the per-process caches the warm-up fills; unfreeze what it froze."""
    pool._PREPARED.clear()
    stored._cache.clear()
    yield
    gc.unfreeze()


def published(app) -> int:
    """Return how many quizzes are published."""
    with app.app_context():
        return db.session.scalar(select(func.count(Quiz.id)).where(Quiz.published.is_(True)))


def test_the_warm_up_compiles_every_template_and_reads_the_rules_and_each_published_pool(app, demo, cold):
    quizzes = published(app)
    said = warmup.before_fork(app)
    templates = app.jinja_env.list_templates()
    assert said == (
        f"warmed before forking: {len(templates)} templates, the track rules, {quizzes} published quizzes' pools"
    )
    assert {name for _, name in app.jinja_env.cache} >= set(templates)
    assert stored._cache
    assert len(pool._PREPARED) >= 1 and gc.get_freeze_count() > 0
    pool._PREPARED.clear()
    assert warmup.before_fork(app) is None and not pool._PREPARED  # once per loaded app


def test_a_database_unreachable_at_start_leaves_the_pools_to_the_workers(make_app, cold, caplog, tmp_path):
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'missing' / 'db.sqlite'}")
    said = warmup.before_fork(app)
    assert said.endswith("the track rules, 0 published quizzes' pools")
    assert "each worker will read the pools it draws from" in caplog.text
    assert not pool._PREPARED


def test_gunicorn_warms_its_master_before_the_first_worker_forks(app, demo, database_url):
    quizzes = published(app)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("QUIZAPP_ENV", "WEB_CONCURRENCY")}
    env.update(SECRET_KEY=STRONG, DATABASE_URL=database_url, BROKER_URL=BROKER, MAIL_URL=MAIL, PUBLIC_URL=PUBLIC,
               WEB_CONCURRENCY="1", BIND=f"127.0.0.1:{port}")
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--no-control-socket"]
    server = subprocess.Popen(  # noqa: S603 - fixed command
        command, cwd=PROJECT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:
                    assert answer.status == 200
                    break
            except OSError:
                time.sleep(0.2)
    finally:
        server.terminate()
        log = server.communicate(timeout=30)[0]
    warmed = log.find(f"the track rules, {quizzes} published quizzes' pools")
    assert warmed != -1, log
    assert -1 < warmed < log.find("Booting worker"), log
