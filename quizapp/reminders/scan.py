"""The daily scan: claim each reminder due (a unique row) and queue its e-mail in the same transaction.

Run twice, or redone after its worker died, the scan finds the claimed rows and queues nothing again; the mail job
itself sends an outbox message once. Only active accounts with a confirmed address and the list turned on get mail.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from functools import partial

from flask import current_app, url_for
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from quizapp import clock
from quizapp.credentials import cards
from quizapp.errors import DomainError
from quizapp.extensions import db
from quizapp.jobs import queue
from quizapp.mail import outbox, preferences
from quizapp.models import Attempt, AttemptStatus, LearnerCard, MailPreference, Reminder, User
from quizapp.reminders import due, letters
from quizapp.taking import attempts, catalog, home

MARGIN = timedelta(days=2)  # the learners' local dates lie within a day of UTC's


def run() -> int:
    """Claim and queue every reminder due today; return how many e-mails were queued."""
    base = current_app.config.get("PUBLIC_URL") or ""
    if not base.startswith(("http://", "https://")):
        raise DomainError("PUBLIC_URL is not set: reminders need the site's address for their links.")
    queued, today = 0, clock.now().date()
    claimed = _claimed_since(today - due.LAPSE_TOLD_FOR - MARGIN)
    with current_app.test_request_context(base_url=base):  # url_for(..., _external=True) outside any request
        for user, card in _card_holders(today):
            kind = due.card_milestone(card.expires_on, cards.today_for(user))
            if not kind or (user.id, kind, card.expires_on) in claimed:
                continue
            if _claim(user, kind, card.expires_on, "reminders", partial(_card, card=card, kind=kind)):
                queued += 1
        for user in _practisers():
            queued += _practice(user)
    return queued


def _recipients(list_column, default_on: bool):
    """Return the select of active users with a confirmed address whose choice (or the default) allows a list."""
    allowed = or_(list_column.is_(True), list_column.is_(None)) if default_on else list_column.is_(True)
    return (
        select(User)
        .outerjoin(MailPreference, MailPreference.user_id == User.id)
        .where(User.active.is_(True), User.email_verified_at.is_not(None), allowed)
    )


def _card_holders(today: date) -> list[tuple[User, LearnerCard]]:
    """Return the recipients whose card expires within 90 days or lapsed within 30 (with a day's margin)."""
    stmt = (
        _recipients(MailPreference.reminders, default_on=True)
        .add_columns(LearnerCard)
        .join(LearnerCard, LearnerCard.user_id == User.id)
        .where(
            LearnerCard.expires_on <= today + timedelta(days=max(due.MILESTONES)) + MARGIN,
            LearnerCard.expires_on >= today - due.LAPSE_TOLD_FOR - MARGIN,
        )
        .order_by(User.id)
    )
    return list(db.session.execute(stmt).tuples())


def _claimed_since(day: date) -> set[tuple[int, str, date]]:
    """Return the reminders claimed for days since `day`, so a repeated scan skips them without trying."""
    stmt = select(Reminder.user_id, Reminder.kind, Reminder.due_on).where(Reminder.due_on >= day)
    return {tuple(row) for row in db.session.execute(stmt)}


def _practisers() -> list[User]:
    """Return the recipients who asked for practice reminders."""
    return list(db.session.scalars(_recipients(MailPreference.practice, default_on=False).order_by(User.id)))


def _claim(user: User, kind: str, due_on: date, listed: str, compose: Callable[[User, str], letters.Letter]) -> bool:
    """Claim (user, kind, due_on) and queue its e-mail in one transaction, then send it; False if claimed before."""
    reminder = Reminder(user_id=user.id, kind=kind, due_on=due_on)
    try:
        with db.session.begin_nested():
            db.session.add(reminder)
    except IntegrityError:  # sent already (or being sent by a scan running at the same moment)
        return False
    stop = url_for("profile.unsubscribe", token=preferences.token(user, listed), _external=True)
    letter = compose(user, stop)
    headers = preferences.headers(stop)
    job = outbox.queue(user.email, letter.subject, letter.text, letter.html, f"reminder-{kind}", user, headers)
    reminder.outbox_id = job.params["outbox_id"]
    db.session.commit()
    try:
        queue.send(job)
    except DomainError:  # the broker is away: the job is recorded failed, for an admin's retry
        db.session.commit()
    return True


def _card(user: User, stop: str, card: LearnerCard, kind: str) -> letters.Letter:
    """Return the card reminder, linking the readiness check of the card's course (else the quiz list)."""
    slug = cards.readiness_quiz(card)
    check = (
        ("the readiness check", url_for("quiz.show", slug=slug, _external=True))
        if slug
        else ("the quizzes", url_for("catalog.index", _external=True))
    )
    return letters.card(user.display_name, cards.course_name(card), kind, card.expires_on, check, stop)


def _practice(user: User) -> int:
    """Claim and queue the practice reminder if one fell due; return 1 if queued, else 0."""
    finished = (Attempt.user_id == user.id, Attempt.status != AttemptStatus.IN_PROGRESS, Attempt.percent.is_not(None))
    last_result = db.session.scalar(select(func.max(Attempt.submitted_at)).where(*finished))
    last_reminder = db.session.scalar(
        select(func.max(Reminder.due_on)).where(Reminder.user_id == user.id, Reminder.kind == due.PRACTICE)
    )
    due_on = due.practice_due(last_result and last_result.date(), last_reminder, cards.today_for(user))
    if due_on is None:
        return 0

    def compose(who: User, stop: str) -> letters.Letter:
        """Suggest the mix of the weakest topics, else the practice quiz of the last result's weakest, else it again."""
        summary = home.summary(who, catalog.entries(who))
        favoured = home.focus_labels(summary.mixed.spec(), attempts.latest_topic_scores(who)) if summary.mixed else []
        if favoured:
            quiz, reason = summary.mixed, letters.weakest_topics(favoured)
        elif summary.practice is not None:
            quiz, reason = summary.practice.quiz, f"Your weakest topic last time was {summary.practice.label}."
        else:
            quiz, reason = summary.last.quiz, "Take your last quiz again to keep it fresh."
        link = url_for("quiz.show", slug=quiz.slug, _external=True)
        return letters.practice(who.display_name, (quiz.title, link), reason, stop)

    return int(_claim(user, due.PRACTICE, due_on, "practice", compose))
