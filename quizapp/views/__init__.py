"""Blueprints: thin views that parse the request, call one service, commit and respond."""

from flask import Flask

from quizapp.views import (
    admin,
    attempt,
    auth,
    author,
    catalog,
    credentials,
    health,
    media,
    profile,
    quiz,
    recommend,
    reports,
)


def register(app: Flask) -> None:
    """Register every blueprint."""
    blueprints = (health, auth, catalog, profile, quiz, attempt, recommend, author, admin, reports, media, credentials)
    for module in blueprints:
        app.register_blueprint(module.bp)
