"""Thin CLI commands (`flask --app wsgi ...`); each docstring is its --help."""

from flask import Flask

from quizapp.cli import banks, demo, export, jobs, lti, tracks, users


def register(app: Flask) -> None:
    """Add the command groups to the app."""
    app.cli.add_command(banks.group)
    app.cli.add_command(demo.group)
    app.cli.add_command(tracks.group)
    app.cli.add_command(users.group)
    app.cli.add_command(lti.group)
    app.cli.add_command(export.group)
    app.cli.add_command(jobs.group)
