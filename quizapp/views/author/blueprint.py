"""The `author` blueprint object and its role check; route modules add their views to it."""

from flask import Blueprint

from quizapp.views.access import authors_only

bp = Blueprint("author", __name__, url_prefix="/author")


@bp.before_request
@authors_only
def require_author():
    """Every /author/ page is for instructors and admins only."""
