"""The instructor area under /author/: banks, questions, imports, exports and quizzes."""

from quizapp.views.author import banks, imports, preview, questions, quizzes, review, versions  # noqa: F401 - registers routes
from quizapp.views.author.blueprint import bp

__all__ = ["bp"]
