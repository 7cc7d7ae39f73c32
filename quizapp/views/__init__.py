"""Blueprints: thin views that parse the request, call one service, commit and respond."""

from flask import Flask

from quizapp.views import admin, attempt, auth, author, catalog, health, lti, media, profile, quiz, recommend, reports


def register(app: Flask) -> None:
    """Register every blueprint."""
    for module in (health, auth, catalog, profile, quiz, attempt, recommend, author, admin, reports, media, lti):
        app.register_blueprint(module.bp)
