"""Reminders on real processes: Celery workers and `celery beat` on Redis (loopback), mail to a real SMTP server
in-process. A worker killed mid-send leaves one message delivered; beat's schedule runs the scan, once per milestone
however often it fires."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from quizapp import clock
from quizapp.extensions import db
from quizapp.jobs import schedule
from quizapp.models import MailStatus, OutboxMessage, Reminder
from tests.jobs.workers import BROKER, Beat, Worker, redis_or_skip, wait_for
from tests.mail import smtp
from tests.reminders.conftest import PUBLIC_URL, learner

pytestmark = pytest.mark.worker
HOLD_SECONDS = 60  # far longer than the test takes to kill the worker holding the first delivery


class Holding(smtp.Inbox):
    """A mail server that leaves the first message's DATA unanswered (the sender is killed while it waits)."""

    def __init__(self):
        """Accept everything after the first message."""
        super().__init__()
        self.held = 0

    async def handle_DATA(self, server, session, envelope) -> str:
        """Hold the first message without an answer (it never arrives); keep every later one."""
        if self.held == 0:
            self.held = 1
            await asyncio.sleep(HOLD_SECONDS)
            return "451 4.3.0 held too long"
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def processes(tmp_path, database_url):
    """Start workers or beat by name (`processes(Worker, "w1", **settings)`); every one is killed at the end."""
    redis_or_skip()
    started = []

    def start(kind: type[Worker], name: str, **settings: str) -> Worker:
        process = kind(name, database_url, tmp_path / f"{name}.log", **settings)
        started.append(process)
        return process

    yield start
    for process in started:
        process.kill()


def mail_rows(app) -> list[tuple[str, str]]:
    """Return every outbox row as (kind, status)."""
    with app.app_context():
        return [tuple(r) for r in db.session.execute(select(OutboxMessage.kind, OutboxMessage.status))]


def claimed(app) -> int:
    """Return how many reminders are claimed."""
    with app.app_context():
        return db.session.scalar(select(func.count(Reminder.id)))


def test_a_worker_killed_mid_send_leaves_the_reminder_delivered_once(make_app, processes):
    with smtp.running(Holding()) as (inbox, url):
        settings = {"MAIL_URL": url, "PUBLIC_URL": PUBLIC_URL, "JOBS_VISIBILITY_TIMEOUT": "3",
                    "JOBS_RESTORE_SECONDS": "1"}
        app = make_app(BROKER_URL=BROKER, MAIL_URL=url, PUBLIC_URL=PUBLIC_URL)
        learner(app, "lee@example.org", clock.now().date() + timedelta(days=30))
        first = processes(Worker, "w1", **settings)
        with app.app_context():
            assert schedule.tick("reminders") == 1  # claimed and queued; the worker takes the mail job
        wait_for(lambda: inbox.held)  # mid-send: the server has the message, the worker waits for its answer
        first.kill()
        with app.app_context():
            assert schedule.tick("reminders") == 0  # the scheduler running again queues nothing more
        processes(Worker, "w2", **settings)
        wait_for(lambda: mail_rows(app) == [("reminder-card-30", MailStatus.SENT)], seconds=90)
        assert len(inbox.received) == 1 and inbox.received[0]["Subject"] == "Your CPR card expires in 30 days"
        assert claimed(app) == 1


def test_beat_runs_the_scan_on_a_worker_and_each_reminder_goes_once(make_app, processes):
    with smtp.running() as (inbox, url):
        settings = {"MAIL_URL": url, "PUBLIC_URL": PUBLIC_URL, "REMINDERS_EVERY_SECONDS": "1",
                    "SWEEP_EVERY_SECONDS": "1"}
        app = make_app(BROKER_URL=BROKER)
        learner(app, "lee@example.org", clock.now().date() + timedelta(days=7))
        worker = processes(Worker, "w1", **settings)
        beat = processes(Beat, "beat", **settings)
        wait_for(lambda: len(inbox.received) == 1, seconds=90)
        # Beat keeps sending the scan every second; the worker keeps running it; nothing more is mailed.
        done = wait_for(lambda: (log := worker.log.read_text()).count("{'work': 'reminders'") >= 3 and log, seconds=90)
        assert "{'work': 'reminders', 'count': 1}" in done and done.count("{'work': 'reminders', 'count': 0}") >= 2
        sent = beat.log.read_text()
        for name in schedule.PERIODIC:
            assert f"Sending due task {name} (quizapp.periodic)" in sent
        assert len(inbox.received) == 1 and inbox.received[0]["Subject"] == "Your CPR card expires in 7 days"
        assert claimed(app) == 1 and mail_rows(app) == [("reminder-card-7", MailStatus.SENT)]
