"""Credentials: certificates, verification, revocation, the learner's card and its expiry."""
