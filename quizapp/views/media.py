"""Serving uploaded images at /media/<sha256>.<ext> to signed-in users."""

from __future__ import annotations

from flask import Blueprint, abort, send_from_directory
from flask_login import login_required

from quizapp.authoring import media

bp = Blueprint("media", __name__, url_prefix="/media")
ONE_YEAR = 365 * 24 * 3600


@bp.get("/<name>")
@login_required
def show(name: str):
    """Serve a stored image with its checked type; the name is a content hash, so it can be cached for good."""
    image = media.find(name)
    if image is None:
        abort(404)
    response = send_from_directory(media.media_dir(), image.filename, mimetype=image.mime, max_age=ONE_YEAR)
    # Only signed-in users may fetch it, so shared caches must not keep it; the browser may, forever.
    response.cache_control.public = False
    response.cache_control.private = True
    response.cache_control.immutable = True
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
