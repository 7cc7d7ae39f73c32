"""Synthetic demo data: a cohort of learners and their finished attempts."""
