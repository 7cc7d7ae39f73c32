"""Reminders by e-mail: before the learner's CPR card expires, when it lapses, and to practise every 90 days."""
