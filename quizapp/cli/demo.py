"""`flask demo ...`: fill a database with synthetic learners and attempts, for demos and load tests."""

from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import AppGroup

from quizapp.demo import seeding
from quizapp.errors import DomainError
from quizapp.extensions import db

group = AppGroup("demo", help="Synthetic demo data.")


@group.command("seed")
@click.option("--learners", type=click.IntRange(min=1), default=100, show_default=True, help="Learners to create.")
@click.option("--attempts", type=click.IntRange(min=0), default=1000, show_default=True, help="Finished attempts.")
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same data.")
@click.option("--quiz", "slugs", multiple=True, help="Seed only this quiz (repeatable; default: every published quiz).")
def seed(learners: int, attempts: int, seed: int, slugs: tuple[str, ...]) -> None:
    """Create learners and finished, scored attempts spread over the past 90 days (refused in production)."""
    if current_app.config.get("QUIZAPP_ENV") == "production":
        raise click.ClickException("demo data is not for production databases")
    began = time.perf_counter()
    try:
        plan = seeding.prepare(learners, attempts, seed, slugs)
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    with click.progressbar(length=attempts, label="Seeding attempts") as bar:
        for done in seeding.run(plan):
            db.session.commit()
            bar.update(done)
    db.session.commit()
    quizzes = ", ".join(q.quiz.slug for q in plan.quizzes)
    click.echo(f"created {learners} learners and {attempts} attempts ({quizzes}) in {time.perf_counter() - began:.1f}s")
