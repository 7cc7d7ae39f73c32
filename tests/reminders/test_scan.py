"""The reminders scan through a real SMTP server in-process: each milestone mailed once however often it runs, only
to confirmed addresses that want it, with the readiness check and the one-click unsubscribe link."""

from __future__ import annotations

import re
import threading
from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from quizapp.accounts import profiles
from quizapp.authoring import quiz_builder
from quizapp.extensions import db
from quizapp.jobs import schedule
from quizapp.models import LearnerCard, OutboxMessage, Reminder, User
from quizapp.numfmt import number
from tests.conftest import PROJECT, import_paths, login
from tests.reminders.conftest import PUBLIC_URL, learner
from tests.taking.helpers import form_for, layout
from tests.taking.test_result_page import NURSE, stored, take

EXPIRES = date(2027, 3, 31)


def scan(app) -> int:
    """Run the scan as beat's periodic task does; return how many e-mails it queued."""
    with app.app_context():
        return schedule.tick("reminders")


def claims(app) -> list[tuple[int, str, date]]:
    """Return every claimed reminder as (user id, kind, due day)."""
    with app.app_context():
        return [tuple(r) for r in db.session.execute(select(Reminder.user_id, Reminder.kind, Reminder.due_on))]


def test_each_milestone_is_mailed_once_however_often_the_scan_runs(mailed, at):
    app, inbox = mailed
    import_paths(app, PROJECT / "questions")
    lee = learner(app, "lee@example.org", EXPIRES)
    for days_left, new in ((100, 0), (90, 1), (89, 0), (45, 0), (30, 1), (29, 0), (7, 1), (0, 0), (-1, 1), (-2, 0)):
        at(EXPIRES - timedelta(days=days_left))
        assert scan(app) == new, days_left
        assert scan(app) == 0  # beat ran twice, or a redelivered scan
    subjects = [m["Subject"] for m in inbox.received]
    assert subjects == [
        "Your CPR card expires in 90 days", "Your CPR card expires in 30 days", "Your CPR card expires in 7 days",
        "Your CPR card has lapsed",
    ]
    assert sorted(kind for _user, kind, _due in claims(app)) == ["card-30", "card-7", "card-90", "card-lapsed"]
    assert {(user, due) for user, _kind, due in claims(app)} == {(lee, EXPIRES)}
    first = inbox.received[0]
    text = first.get_body(("plain",)).get_content()
    assert "31 Mar 2027" in text and "BLS Provider" in text and "not a certification" in text
    assert f"{PUBLIC_URL}/quizzes/bls-readiness" in text  # the readiness check of the card's course
    stop = re.search(r"<(https://[^>]+)>", first["List-Unsubscribe"]).group(1)
    assert stop.startswith(f"{PUBLIC_URL}/unsubscribe/") and stop in text
    assert first["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_renewed_card_is_reminded_again(mailed, at):
    app, inbox = mailed
    learner(app, "lee@example.org", EXPIRES)
    at(EXPIRES - timedelta(days=10))
    assert scan(app) == 1
    learner_card_renewed = EXPIRES + timedelta(days=730)
    with app.app_context():
        db.session.scalar(select(LearnerCard)).expires_on = learner_card_renewed
        db.session.commit()
    at(learner_card_renewed - timedelta(days=90))
    assert scan(app) == 1 and len(inbox.received) == 2


def test_only_confirmed_active_addresses_that_want_reminders_get_them(mailed, at):
    app, inbox = mailed
    learner(app, "yes@example.org", EXPIRES)
    learner(app, "unconfirmed@example.org", EXPIRES, verified=False)
    learner(app, "stopped@example.org", EXPIRES, reminders=False)
    learner(app, "nocard@example.org", None)
    gone = learner(app, "gone@example.org", EXPIRES)
    with app.app_context():
        db.session.get(User, gone).active = False
        db.session.commit()
    at(EXPIRES - timedelta(days=30))
    assert scan(app) == 1
    assert [m["To"] for m in inbox.received] == ["yes@example.org"]


def test_the_mail_and_its_claim_are_one_transaction(mailed, at):
    app, _inbox = mailed
    lee = learner(app, "lee@example.org", EXPIRES)
    at(EXPIRES - timedelta(days=7))
    scan(app)
    with app.app_context():
        reminder = db.session.scalar(select(Reminder).where(Reminder.user_id == lee))
        message = db.session.get(OutboxMessage, reminder.outbox_id)
        assert (message.kind, message.status) == ("reminder-card-7", "sent")
        assert set(message.headers) == {"List-Unsubscribe", "List-Unsubscribe-Post"}


def test_without_the_public_address_the_scan_refuses_and_sends_nothing(make_app, runner, at):
    app = make_app(PUBLIC_URL="")
    learner(app, "lee@example.org", EXPIRES)
    at(EXPIRES - timedelta(days=7))
    result = app.test_cli_runner().invoke(args=["jobs", "tick", "reminders"])
    assert result.exit_code == 1 and "PUBLIC_URL is not set" in result.output
    assert claims(app) == []


def test_flask_jobs_tick_runs_every_periodic_work_once(mailed, at):
    app, inbox = mailed
    learner(app, "lee@example.org", EXPIRES)
    at(EXPIRES - timedelta(days=30))
    result = app.test_cli_runner().invoke(args=["jobs", "tick"])
    assert result.exit_code == 0, result.output
    assert "reminders: 1 reminder e-mail(s) queued" in result.output
    assert "exports: 0 expired export file(s) deleted" in result.output
    assert "stale-jobs: 0 stale job(s) sent again" in result.output
    assert len(inbox.received) == 1


def test_practice_every_90_days_links_the_mix_of_the_weakest_topics(mailed, at, client):
    app, inbox = mailed
    import_paths(app, PROJECT / "questions")
    learner(app, "lee@example.org", None, practice=True)
    learner(app, "quiet@example.org", None)  # practice reminders are off unless chosen
    start = date(2026, 1, 5)
    at(start)
    for email in ("lee@example.org", "quiet@example.org"):
        other = app.test_client()
        login(other, email)
        take(other, app, "bls-readiness", NURSE, wrong_topics=("bvm",))
    for days, new in ((89, 0), (90, 1), (91, 0), (179, 0), (180, 1)):
        at(start + timedelta(days=days))
        assert scan(app) == new, days
        assert scan(app) == 0
    assert [m["To"] for m in inbox.received] == ["lee@example.org"] * 2
    message = inbox.received[0]
    text = message.get_body(("plain",)).get_content()
    assert message["Subject"] == "Time for a few minutes of CPR practice"
    assert "Your weakest topic last time: Bag-valve-mask ventilation (0%). This short mix gives it more" in text
    assert f"Practice: your weakest topics: {PUBLIC_URL}/quizzes/mixed-practice" in text
    assert "/unsubscribe/" in message["List-Unsubscribe"]
    assert [(kind, due) for _user, kind, due in claims(app)] == [
        ("practice", start + timedelta(days=90)), ("practice", start + timedelta(days=180))
    ]


def practise_due(app, email: str, wrong) -> dict[str, float]:
    """Give a practising learner a BLS readiness result (`wrong(n, slot)`: answer slot n wrong); its topic scores."""
    learner(app, email, None, practice=True)
    other = app.test_client()
    login(other, email)
    pid = other.post("/quizzes/bls-readiness/start", data=NURSE).headers["Location"].split("/")[2]
    for n, (slot, version) in enumerate(layout(app, pid), start=1):
        data = {**form_for(slot, version, correct=not wrong(n, slot)), "go": "next"}
        assert other.post(f"/attempts/{pid}/questions/{n}", data=data).status_code == 303
    assert other.post(f"/attempts/{pid}/submit").status_code == 303
    return stored(app, pid).topic_scores


def test_the_practice_mail_names_each_weak_topic_with_its_latest_score(mailed, at):
    app, inbox = mailed
    import_paths(app, PROJECT / "questions")
    at(date(2026, 1, 5))
    missed = Counter()

    def wrong(_n: int, slot: dict) -> bool:
        """Miss 5 team CPR questions and 3 bag-valve-mask ones."""
        missed[slot["topic"]] += 1
        return missed[slot["topic"]] <= {"team-cpr": 5, "bvm": 3}.get(slot["topic"], 0)

    scores = practise_due(app, "lee@example.org", wrong)
    assert scores["team-cpr"] < scores["bvm"] < scores["airway"] == 100
    at(date(2026, 1, 5) + timedelta(days=90))
    assert scan(app) == 1
    message = inbox.received[0]
    text, html = (message.get_body((kind,)).get_content() for kind in ("plain", "html"))
    named = (
        f"Team CPR and high-quality compressions ({number(scores['team-cpr'])}%), "
        f"Bag-valve-mask ventilation ({number(scores['bvm'])}%)"
    )
    assert f"Your weakest topics last time: {named}. This short mix gives them more of its questions." in text
    assert f"{PUBLIC_URL}/quizzes/mixed-practice" in text
    assert f'<a href="{PUBLIC_URL}/quizzes/mixed-practice">Practice: your weakest topics</a>' in html


def test_without_the_mix_the_practice_mail_links_the_weakest_topics_own_quiz(mailed, at):
    app, inbox = mailed
    import_paths(app, PROJECT / "questions")
    with app.app_context():
        quiz_builder.set_published(quiz_builder.find("mixed-practice"), False)
        db.session.commit()
    at(date(2026, 1, 5))
    practise_due(app, "lee@example.org", lambda _n, slot: slot["topic"] == "bvm")
    at(date(2026, 1, 5) + timedelta(days=90))
    assert scan(app) == 1
    text = inbox.received[0].get_body(("plain",)).get_content()
    assert "Your weakest topic last time was Bag-valve-mask ventilation." in text
    assert f"{PUBLIC_URL}/quizzes/bvm-practice" in text and "mixed-practice" not in text


def test_two_scans_at_the_same_moment_mail_each_reminder_once(mailed, at, is_postgres):
    if not is_postgres:
        pytest.skip("needs PostgreSQL: SQLite runs one writer at a time, so the scans never overlap")
    app, inbox = mailed
    for n in range(5):
        learner(app, f"l{n}@example.org", EXPIRES)
    at(EXPIRES - timedelta(days=30))
    barrier, counts = threading.Barrier(2), []

    def scan_now() -> None:
        with app.app_context():
            barrier.wait()
            counts.append(schedule.tick("reminders"))
            db.session.remove()

    threads = [threading.Thread(target=scan_now) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(counts) == 5 and len(claims(app)) == 5
    assert sorted(m["To"] for m in inbox.received) == [f"l{n}@example.org" for n in range(5)]


def test_milestones_fall_on_the_learners_own_date(mailed, at):
    app, inbox = mailed
    learner(app, "utc@example.org", EXPIRES)
    east = learner(app, "kiritimati@example.org", EXPIRES)
    with app.app_context():
        profiles.remember(db.session.get(User, east), time_zone="Pacific/Kiritimati")  # UTC+14: already tomorrow
        db.session.commit()
    at(EXPIRES - timedelta(days=91))  # noon UTC: 90 days left in Kiritimati, 91 in UTC
    assert scan(app) == 1 and [m["To"] for m in inbox.received] == ["kiritimati@example.org"]
    at(EXPIRES - timedelta(days=90))
    assert scan(app) == 1 and inbox.received[-1]["To"] == "utc@example.org"
