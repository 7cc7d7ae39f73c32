"""The admin area under /admin/: users and score exports."""

from quizapp.views.admin import certificates, exports, home, users  # noqa: F401 - registers routes
from quizapp.views.admin.blueprint import bp

__all__ = ["bp"]
