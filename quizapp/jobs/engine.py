"""The Celery app made from the Flask app, as Flask's "Background Tasks with Celery" describes.

Without a broker (development, tests) every job runs eagerly in the process that sends it, so one command still
serves everything. With BROKER_URL (required in production) jobs go to Redis and a worker runs them.
"""

from __future__ import annotations

from pathlib import Path

from celery import Celery, Task
from flask import Flask

from quizapp.jobs import runner, schedule  # noqa: F401 - define the shared tasks every Celery app registers

EXTENSION_KEY = "celery"


def celery_config(config: dict) -> dict:
    """Return Celery's settings from the app's: the broker, eager mode without one, and the delivery guarantees."""
    broker = config.get("BROKER_URL") or ""
    return {
        "broker_url": broker or "memory://",
        "result_backend": config.get("RESULT_BACKEND_URL") or broker or None,
        "result_expires": 24 * 3600,
        "task_always_eager": not broker,
        # A message is acknowledged after the job ends, so a job whose worker dies is delivered again.
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        # With late acknowledgement a worker holds one job at a time; it takes the next when it has finished.
        "worker_prefetch_multiplier": 1,
        "broker_transport_options": {
            "visibility_timeout": config["JOBS_VISIBILITY_TIMEOUT"],
            "unacked_restore_interval": config["JOBS_RESTORE_SECONDS"],
            "unacked_restore_throttle": 1,
        },
        "broker_connection_retry_on_startup": True,
        "worker_hijack_root_logger": False,
        # Sites (or test runs) sharing one Redis keep apart by their queue's name.
        "task_default_queue": config.get("JOBS_QUEUE") or "quizapp",
        # Periodic work, sent by `celery beat` (one per deployment; `python3 dev.py beat`).
        "beat_schedule": schedule.beat_schedule(config),
    }


def celery_init_app(app: Flask) -> Celery:
    """Create the Celery app whose tasks run inside this Flask app's context, and keep it in app.extensions."""

    class FlaskTask(Task):
        """A task that runs with the Flask app (and its database session) pushed."""

        def __call__(self, *args: object, **kwargs: object) -> object:
            """Run the task body inside an app context of this Flask app."""
            with app.app_context():
                return self.run(*args, **kwargs)

    celery_app = Celery(app.name, task_cls=FlaskTask)
    celery_app.config_from_object(celery_config(app.config))
    celery_app.conf.beat_schedule_filename = str(Path(app.instance_path) / "celerybeat-schedule")
    celery_app.set_default()
    app.extensions[EXTENSION_KEY] = celery_app
    return celery_app


def init_app(app: Flask) -> None:
    """Bind the queue to the app (the tasks register themselves with every Celery app through shared_task)."""
    celery_init_app(app)

