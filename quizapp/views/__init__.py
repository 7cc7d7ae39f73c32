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
    lti,
    media,
    profile,
    quiz,
    recommend,
    reports,
)


def register(app: Flask) -> None:
    """Register every blueprint."""
    blueprints = (health, auth, catalog, profile, quiz, attempt, recommend, author, admin, reports, media)
    for module in (*blueprints, credentials, lti):
        app.register_blueprint(module.bp)
