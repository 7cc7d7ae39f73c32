"""Taking a quiz: the attempt, its sitting, the seeded draw, grading, marks and the result page."""
