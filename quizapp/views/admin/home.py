"""The admin landing page: where to manage users and export scores."""

from flask import render_template

from quizapp.views.admin.blueprint import bp


@bp.get("/")
def index():
    """Link to the user list and the exports."""
    return render_template("admin/index.html")
