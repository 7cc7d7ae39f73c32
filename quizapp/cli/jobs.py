"""`flask jobs tick`: run the periodic work of Celery beat's schedule once (development without a broker, or cron)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from quizapp.errors import DomainError
from quizapp.jobs import schedule

group = AppGroup("jobs", help="Background jobs: run the periodic work once.")


@group.command("tick")
@click.argument("names", nargs=-1, type=click.Choice(list(schedule.PERIODIC)))
def tick(names: tuple[str, ...]) -> None:
    """Run the periodic work now (all of it, or the NAMES given): the reminders scan, the sweeps of export files and
    stale jobs. Safe to run at any time and more than once: each reminder is sent once."""
    for name in names or schedule.PERIODIC:
        try:
            count = schedule.tick(name)
        except DomainError as exc:
            raise click.ClickException(exc.message) from exc
        click.echo(f"{name}: {count} {schedule.PERIODIC[name][2]}")
