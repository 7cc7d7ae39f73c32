"""The admin area under /admin/: users, score exports and the background-job queue."""

from quizapp.views.admin import certificates, exports, home, jobs, lti, users  # noqa: F401 - registers routes
from quizapp.views.admin.blueprint import bp

__all__ = ["bp"]
