"""Outgoing e-mail: messages kept in the outbox and sent by the `mail.send` background job, never in a request."""
