"""Authoring: editing questions in the browser, quizzes, preview, version diffs, regrading, images."""
