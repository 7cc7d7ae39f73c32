"""Every kind of job has a handler and a label shown on the admin's queue page."""

from __future__ import annotations

from quizapp.jobs import kinds


def test_every_kind_has_a_handler_and_a_label():
    assert set(kinds.HANDLERS) == set(kinds.LABELS) == {
        "items", "lti.grade", "mail.send", "export", "xapi.send", "bank.import", "bank.preview",
    }
    assert all(callable(handler) for handler in kinds.HANDLERS.values())


def test_without_a_broker_jobs_run_eagerly_and_with_one_they_are_acknowledged_after_the_work(app, make_app):
    assert app.extensions["celery"].conf.task_always_eager is True
    queued = make_app(BROKER_URL="redis://127.0.0.1:6379/6").extensions["celery"].conf
    assert queued.task_always_eager is False and queued.task_acks_late and queued.task_reject_on_worker_lost
    assert queued.worker_prefetch_multiplier == 1
