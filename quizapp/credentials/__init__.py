"""Credentials: certificates of a readiness check, their public verification, and the learner's real CPR card."""
