"""The one schedule of periodic work: beat's entries come from quizapp/jobs/schedule.py and the settings; the sweep
of stale jobs sends again a job whose message the broker lost, and nothing else."""

from __future__ import annotations

from datetime import timedelta

from quizapp import clock
from quizapp.extensions import db
from quizapp.jobs import schedule
from quizapp.mail import outbox
from quizapp.models import Job, JobState, MailStatus, OutboxMessage


def test_beat_schedules_every_periodic_work_at_its_configured_interval(make_app):
    conf = make_app(REMINDERS_EVERY_SECONDS=600, SWEEP_EVERY_SECONDS=60).extensions["celery"].conf
    assert conf.beat_schedule == {
        "reminders": {"task": "quizapp.periodic", "schedule": 600.0, "args": ("reminders",)},
        "exports": {"task": "quizapp.periodic", "schedule": 60.0, "args": ("exports",)},
        "stale-jobs": {"task": "quizapp.periodic", "schedule": 60.0, "args": ("stale-jobs",)},
    }
    assert conf.beat_schedule_filename.endswith("celerybeat-schedule")
    assert "quizapp.periodic" in make_app().extensions["celery"].tasks


def queued_mail(app, age: timedelta) -> int:
    """Queue a message whose job was never sent (its message lost), queued `age` ago; return the job id."""
    with app.test_request_context():
        job = outbox.queue("lee@example.org", "Practice", "text", "<p>html</p>", "test")
        job.queued_at = clock.now() - age
        db.session.commit()
        return job.id


def test_a_job_queued_longer_than_the_threshold_is_sent_again_and_runs_once(app):
    threshold = timedelta(seconds=app.config["JOBS_STALE_SECONDS"])
    lost = queued_mail(app, threshold + timedelta(minutes=1))
    waiting = queued_mail(app, threshold - timedelta(minutes=1))
    with app.app_context():
        assert schedule.tick("stale-jobs") == 1
        assert schedule.tick("stale-jobs") == 0  # done now: nothing to send again
        states = {job.id: job.state for job in db.session.scalars(db.select(Job))}
        assert states == {lost: JobState.DONE, waiting: JobState.QUEUED}
        sent = db.session.scalar(db.select(OutboxMessage).where(OutboxMessage.status == MailStatus.SENT))
        assert sent.tries == 1
