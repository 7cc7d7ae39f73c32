"""The admin area under /admin/: users, score exports, the background-job queue and the outbox."""

from quizapp.views.admin import certificates, exports, home, jobs, lti, outbox, users  # noqa: F401 - registers routes
from quizapp.views.admin.blueprint import bp

__all__ = ["bp"]
