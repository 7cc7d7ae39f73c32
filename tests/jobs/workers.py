"""Real Celery workers for the integration tests: subprocesses on Redis (loopback) and the test database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import suppress
from pathlib import Path

import pytest
import redis

from tests.conftest import JOBS_QUEUE, PROJECT

BROKER = "redis://127.0.0.1:6379/6"  # this project's test database number on the machine's Redis
READY_SECONDS = 60


def redis_or_skip(broker: str = BROKER) -> None:
    """Skip the test, saying why, when Redis does not answer (fails instead in CI); empty this run's queue otherwise."""
    try:
        redis.Redis.from_url(broker, socket_connect_timeout=1).delete(JOBS_QUEUE)
    except redis.exceptions.ConnectionError:
        if os.environ.get("QUIZAPP_WORKER_TESTS") == "required":  # CI (.ci/run) started Redis: a skip would hide it
            pytest.fail(f"Redis does not answer at {broker}; QUIZAPP_WORKER_TESTS=required forbids skipping")
        pytest.skip(f"needs Redis at {broker} for a real worker")


class Worker:
    """One `celery worker` process (solo pool: the job runs in the process itself), killed at the end."""

    READY = " ready."  # what the log says once the process works

    def __init__(self, name: str, database_url: str, log: Path, **settings: str):
        """Start the worker with the app's settings from its environment, as `python3 dev.py worker` does."""
        env = {
            **os.environ, "QUIZAPP_ENV": "testing", "DATABASE_URL": database_url, "BROKER_URL": BROKER,
            "SECRET_KEY": "test-secret-key", "JOBS_QUEUE": JOBS_QUEUE, **settings,
        }
        self.log = log
        command = self.command(name)
        with open(log, "wb") as out:
            self.process = subprocess.Popen(  # noqa: S603 - fixed command
                command, cwd=PROJECT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        self._wait_ready()

    def command(self, name: str) -> list[str]:
        """Return the command line of the process."""
        return [
            sys.executable, "-m", "celery", "-A", "quizapp.jobs.worker", "worker", "--pool=solo", "--loglevel=INFO",
            "-n", f"{name}@%h", "--without-mingle", "--without-gossip", "--without-heartbeat",
        ]

    def _wait_ready(self) -> None:
        """Wait until the process says it is ready (a worker consuming from the queue, beat started)."""
        deadline = time.monotonic() + READY_SECONDS
        while time.monotonic() < deadline:
            if self.READY in self.log.read_text(errors="replace"):
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        self.kill()
        raise AssertionError(f"the worker did not start:\n{self.log.read_text(errors='replace')[-3000:]}")

    def kill(self) -> None:
        """Kill the worker's whole process group at once (SIGKILL: no chance to hand its job back)."""
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)


class Beat(Worker):
    """One `celery beat` process (what `python3 dev.py beat` runs), its schedule state in a file of the test's."""

    READY = "beat: Starting"

    def command(self, name: str) -> list[str]:
        """Return the command line of beat, with its schedule file beside its log."""
        schedule_file = self.log.with_name(f"{name}.schedule")
        return [sys.executable, "-m", "celery", "-A", "quizapp.jobs.worker", "beat", "--loglevel=INFO", "-s",
                str(schedule_file)]


def wait_for(check, seconds: float = 60, step: float = 0.2):
    """Return check()'s first true value, polling; fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"still waiting after {seconds} s")
