"""The `admin` blueprint object and its role check; route modules add their views to it."""

from flask import Blueprint

from quizapp.views.access import admins_only

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@admins_only
def require_admin():
    """Every /admin/ page is for admins only."""
