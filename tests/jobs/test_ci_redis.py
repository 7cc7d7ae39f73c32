"""CI starts the Redis the real-worker tests need and stops it; with it required, a missing Redis fails, never skips."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
import redis

from tests.conftest import PROJECT
from tests.jobs.workers import redis_or_skip
from tests.support import free_port


def answers(port: int) -> bool:
    """Whether a Redis answers PING on the loopback port."""
    try:
        return redis.Redis(port=port, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        return False


def test_ci_starts_redis_for_the_worker_tests_and_stops_it(tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server installed")
    port = free_port()
    env = {**os.environ, "REDIS_PORT": str(port), "TMPDIR": str(tmp_path)}
    script = str(PROJECT / ".ci" / "redis")
    try:
        assert subprocess.run([script, "start"], env=env, timeout=30, check=False).returncode == 0  # noqa: S603
        assert answers(port)
    finally:
        subprocess.run([script, "stop"], env=env, timeout=30, check=False)  # noqa: S603
    assert not answers(port)


def test_a_required_worker_test_fails_without_redis(monkeypatch):
    monkeypatch.setenv("QUIZAPP_WORKER_TESTS", "required")
    with pytest.raises(BaseException) as stopped:  # a skip would be caught here too, and refused below
        redis_or_skip(f"redis://127.0.0.1:{free_port()}/6")
    assert stopped.type is pytest.fail.Exception and "forbids skipping" in str(stopped.value)
