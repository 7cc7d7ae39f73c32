"""Tests of outgoing e-mail: the messages, the SMTP transport, the mail.send job and the outbox page."""
