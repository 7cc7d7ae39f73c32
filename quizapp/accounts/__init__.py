"""Accounts: users, passwords, learner profiles and the admin's user management."""
