"""The mail.send job against a real SMTP server in-process: what arrives, sending once, retries and refusals."""

import logging
import socket

import pytest
from sqlalchemy import select

from quizapp.errors import DomainError
from quizapp.extensions import db
from quizapp.jobs import queue
from quizapp.jobs.runner import TASK
from quizapp.mail import outbox, sending, transport
from quizapp.models import Job, JobState, MailStatus, OutboxMessage
from quizapp.views.dispatch import commit_and_send


def send_one(app, to: str = "lee@example.org") -> int:
    """Queue a message and run its job as a view would (commit, then send); return its outbox id."""
    with app.test_request_context():
        job = outbox.queue(to, "Your CPR practice", "Plain: practise today.", "<p>HTML: practise today.</p>", "test")
        commit_and_send(job, tell=False)
        return job.params["outbox_id"]


def row(app, outbox_id: int) -> OutboxMessage:
    """Return the outbox row, read fresh."""
    with app.app_context():
        found = db.session.get(OutboxMessage, outbox_id)
        db.session.expunge(found)
        return found


def only_job(app) -> Job:
    """Return the one job there is, read fresh."""
    with app.app_context():
        job = db.session.execute(select(Job)).scalar_one()
        db.session.expunge(job)
        return job


def test_the_message_arrives_with_both_parts_and_its_headers(mail_app, smtp_server):
    inbox, _url = smtp_server
    sent = row(mail_app, send_one(mail_app))
    [message] = inbox.received
    assert inbox.envelopes == [("quiz@example.org", ["lee@example.org"])]
    assert (message["From"], message["To"], message["Subject"]) == (
        "CPR quiz <quiz@example.org>", "lee@example.org", "Your CPR practice"
    )
    assert message["Message-ID"] == sent.message_id and message["Date"]
    assert message.get_body(("plain",)).get_content().strip() == "Plain: practise today."
    assert message.get_body(("html",)).get_content().strip() == "<p>HTML: practise today.</p>"
    assert (sent.status, sent.tries, sent.last_error, sent.kind) == (MailStatus.SENT, 1, "", "test")
    assert sent.sent_at is not None and only_job(mail_app).state == JobState.DONE


def test_a_job_that_runs_twice_sends_once(mail_app, smtp_server):
    inbox, _url = smtp_server
    outbox_id = send_one(mail_app)
    job = only_job(mail_app)
    mail_app.extensions["celery"].tasks[TASK].apply((job.id,))  # the queue delivers the message again
    with mail_app.app_context():
        assert sending.send_job({"outbox_id": outbox_id}, lambda _f: None) == f"outbox:{outbox_id}"
    assert len(inbox.received) == 1 and row(mail_app, outbox_id).tries == 1


def test_a_server_that_asks_to_wait_is_retried_then_the_message_goes_after_a_retry(mail_app, smtp_server):
    inbox, _url = smtp_server
    inbox.reply = "451 4.3.0 Mailbox busy, try later"
    outbox_id = send_one(mail_app)
    waiting, job = row(mail_app, outbox_id), only_job(mail_app)
    assert waiting.status == MailStatus.QUEUED and "451" in waiting.last_error
    assert waiting.tries == mail_app.config["JOBS_MAX_RETRIES"] + 1  # the first try and each retry
    assert job.state == JobState.FAILED and "451" in job.error and inbox.received == []
    inbox.reply = None
    with mail_app.test_request_context():
        commit_and_send(queue.retry(db.session.get(Job, job.id), None), tell=False)
    assert row(mail_app, outbox_id).status == MailStatus.SENT and len(inbox.received) == 1


def test_a_server_that_refuses_fails_the_job_visibly_at_once(mail_app, smtp_server):
    inbox, _url = smtp_server
    inbox.reply = "550 5.1.1 No such mailbox"
    refused = row(mail_app, send_one(mail_app))
    assert (refused.status, refused.tries) == (MailStatus.FAILED, 1)
    assert "550 5.1.1 No such mailbox" in refused.last_error
    job = only_job(mail_app)
    assert job.state == JobState.FAILED and "refused the message: 550" in job.error


def test_an_unreachable_server_is_a_transient_failure(make_app):
    with socket.socket() as probe:  # a port nobody listens on: bound, never listening
        probe.bind(("127.0.0.1", 0))
        app = make_app(MAIL_URL=f"smtp://127.0.0.1:{probe.getsockname()[1]}")
        unsent = row(app, send_one(app))
    assert unsent.status == MailStatus.QUEUED and "could not be reached" in unsent.last_error
    assert unsent.tries == app.config["JOBS_MAX_RETRIES"] + 1


def test_in_development_the_message_is_printed_to_the_log_and_kept_in_the_outbox(app, caplog):
    assert app.config["MAIL_URL"] == "console"
    with caplog.at_level(logging.INFO, logger="quizapp.mail.transport"):
        kept = row(app, send_one(app))
    assert kept.status == MailStatus.SENT
    assert "Subject: Your CPR practice" in caplog.text and "Plain: practise today." in caplog.text


@pytest.mark.parametrize("url", ["http://mail.example.org", "smtp://", "smtp:///nohost"])
def test_a_mail_url_that_is_not_smtp_is_refused_clearly(url):
    with pytest.raises(DomainError, match="MAIL_URL must be console, smtp://"):
        transport.check_url(url)
