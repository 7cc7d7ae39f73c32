"""The worker's entry point: `celery -A quizapp.jobs.worker worker` (what `python3 dev.py worker` runs)."""

from celery.signals import worker_process_init

from quizapp import create_app
from quizapp.extensions import db

flask_app = create_app()
celery_app = flask_app.extensions["celery"]


@worker_process_init.connect
def fresh_connections(**_kwargs) -> None:
    """Give each forked worker process its own database connections, never the parent's."""
    with flask_app.app_context():
        db.engine.dispose(close=False)
