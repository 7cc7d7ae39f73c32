"""Regrading past responses after a key is corrected: dry run, commit, audit, and a second run that does nothing."""

from sqlalchemy import func, select

from quizapp.authoring import regrade
from quizapp.extensions import db
from quizapp.models import Attempt, AuditEvent, Question, QuestionVersion, Response
from tests.authoring.helpers import read_form
from tests.conftest import PASSWORD, make_user
from tests.support import counted_queries
from tests.taking.helpers import answer_all, form_for, layout, start


def learner_client(app, email: str):
    """Return a client signed in as a new learner."""
    make_user(app, email, name=email.split("@")[0].title())
    client = app.test_client()
    client.post("/auth/login", data={"email": email, "password": PASSWORD})
    return client


def sit(app, email: str, right: set[str] | None = None, submit: bool = True) -> str:
    """Take the demo exam, answering questions of the types in `right` correctly and the rest wrongly."""
    client = learner_client(app, email)
    pid = start(client)
    if right is None:
        answer_all(client, app, pid)
    else:
        for n, (slot, version) in enumerate(layout(app, pid), start=1):
            data = form_for(slot, version, correct=version.type in right)
            client.post(f"/attempts/{pid}/questions/{n}", data={**data, "go": "next"})
    if submit:
        client.post(f"/attempts/{pid}/submit")
    return pid


def attempt(app, pid: str) -> Attempt:
    """Load an attempt."""
    with app.app_context():
        return db.session.execute(select(Attempt).where(Attempt.public_id == pid)).scalar_one()


def correct_the_key(instructor, **extra) -> None:
    """Make choice 2 of demo-single the correct one (a new version)."""
    fields = read_form(instructor.get("/author/questions/demo-single/edit").get_data(as_text=True))
    fields.pop("choices-0-correct")
    fields.update({"choices-1-correct": "y", "note": "key corrected", **extra})
    assert instructor.post("/author/questions/demo-single/edit", data=fields).status_code == 303


def version_id(app, number: int) -> int:
    """Return the id of demo-single's version `number`."""
    with app.app_context():
        return db.session.execute(
            select(QuestionVersion.id)
            .join(Question, QuestionVersion.question_id == Question.id)
            .where(Question.key == "demo-single", QuestionVersion.number == number)
        ).scalar_one()


def test_dry_run_then_commit_then_nothing_left(app, instructor):
    full = sit(app, "ann@example.org")  # 5/5
    borderline = sit(app, "cal@example.org", right={"single", "true_false", "numeric"})  # 3/5 = 60%, the pass mark
    blank = sit(app, "una@example.org", right=set())  # answered everything wrongly
    sit(app, "ivy@example.org", submit=False)  # still in progress
    with app.app_context():
        a = db.session.execute(select(Attempt).where(Attempt.public_id == full)).scalar_one()
        a.recommendation = {"track": "kept"}
        db.session.commit()
    correct_the_key(instructor)

    page = instructor.get("/author/questions/demo-single/regrade").get_data(as_text=True)
    assert "Dry run against version 2" in page
    assert "3 finished attempts would move to version 2;" in page and "3 would change score" in page
    assert "1 attempt in progress is not touched" in page
    assert "5 of 5 (100%)" in page and "4 of 5 (80%)" in page and "3 of 5 (60%)" in page and "2 of 5 (40%)" in page
    assert "0 of 5 (0%)" in page and "1 of 5 (20%)" in page
    assert page.count('<strong class="badge">changes</strong>') == 1  # only the borderline attempt flips
    assert "recommendation stored with each attempt is not recomputed" in page
    assert attempt(app, full).percent == 100  # a dry run writes nothing

    response = instructor.post("/author/questions/demo-single/regrade", data={"version": "2"}, follow_redirects=True)
    assert "Regraded 3 attempt(s) against version 2; 3 changed score." in response.get_data(as_text=True)
    v2 = version_id(app, 2)
    a, b, c = attempt(app, full), attempt(app, borderline), attempt(app, blank)
    assert (a.score, a.max_score, a.percent, a.passed) == (4, 5, 80, True)
    assert (b.percent, b.passed, c.percent, c.passed) == (40, False, 20, False)
    assert a.topic_scores == {"demo": 80} and a.recommendation == {"track": "kept"}
    assert all(slot["v"] == v2 for att in (a, b, c) for slot in att.layout if slot["q"] == a.layout[0]["q"])
    with app.app_context():
        rows = db.session.execute(select(Response).where(Response.version_id == v2)).scalars().all()
        assert sorted((r.score, r.correct) for r in rows) == [(0, False), (0, False), (1, True)]
        events = db.session.execute(select(AuditEvent).where(AuditEvent.action == "regrade")).scalars().all()
    assert len(events) == 1 and events[0].target == "question demo-single"
    details = events[0].details
    assert details["key"] == "demo-single" and details["target_version"] == 2 and details["from_versions"] == [1]
    by_attempt = {row["attempt"]: row for row in details["attempts"]}
    assert by_attempt[full]["before"]["percent"] == 100 and by_attempt[full]["after"]["percent"] == 80
    assert by_attempt[borderline]["before"]["passed"] is True and by_attempt[borderline]["after"]["passed"] is False

    again = instructor.post("/author/questions/demo-single/regrade", data={"version": "2"}, follow_redirects=True)
    assert "Nothing to regrade" in again.get_data(as_text=True)
    assert attempt(app, full).percent == 80
    with app.app_context():
        assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "regrade")) == 1


def test_the_review_shows_the_corrected_key(app, instructor):
    client = learner_client(app, "rev@example.org")
    pid = start(client)
    answer_all(client, app, pid)
    client.post(f"/attempts/{pid}/submit")
    correct_the_key(instructor)
    instructor.post("/author/questions/demo-single/regrade", data={"version": "2"})
    result = client.get(f"/attempts/{pid}/result").get_data(as_text=True)
    assert "Your result: 80%" in result
    first = result.split('id="q1"', 1)[1].split("</article>", 1)[0]
    assert "Correct answer</dt><dd>About 3 seconds" in first and "Not correct" in first


def test_unanswered_slots_move_too(app, instructor):
    client = learner_client(app, "nil@example.org")
    pid = start(client)
    client.post(f"/attempts/{pid}/submit")
    correct_the_key(instructor)
    instructor.post("/author/questions/demo-single/regrade", data={"version": "2"})
    assert attempt(app, pid).layout[0]["v"] == version_id(app, 2)


def test_incompatible_versions_are_skipped_with_a_reason(app, instructor):
    pid = sit(app, "old@example.org")
    correct_the_key(instructor, **{"choices-3-text": "About 10 seconds", "choices-3-feedback": "Far too long."})
    page = instructor.get("/author/questions/demo-single/regrade").get_data(as_text=True)
    assert "0 finished attempts would move" in page and "1 would be skipped" in page
    assert "version 1 has 3 choices and version 2 has 4" in page
    instructor.post("/author/questions/demo-single/regrade", data={"version": "2"})
    assert attempt(app, pid).percent == 100 and attempt(app, pid).layout[0]["v"] == version_id(app, 1)


def test_regrading_back_to_an_older_version(app, instructor):
    correct_the_key(instructor)  # the "correction" was a mistake: learners now get version 2
    pid = sit(app, "back@example.org")
    page = instructor.get("/author/questions/demo-single/regrade?version=1").get_data(as_text=True)
    assert "Dry run against version 1" in page and "1 finished attempt would move to version 1" in page
    instructor.post("/author/questions/demo-single/regrade", data={"version": "1"})
    assert attempt(app, pid).percent == 80 and attempt(app, pid).layout[0]["v"] == version_id(app, 1)


def test_unknown_version_is_404(instructor):
    assert instructor.get("/author/questions/demo-single/regrade?version=7").status_code == 404


def test_query_count_does_not_grow_with_attempts(app, instructor):
    sit(app, "q1@example.org")
    correct_the_key(instructor)  # version 2

    def count() -> tuple[int, int]:
        """Count the queries of a committed regrade against the current version, then undo it."""
        with app.app_context():
            question = db.session.execute(select(Question).where(Question.key == "demo-single")).scalar_one()
            target = question.current_version
            with counted_queries(app) as statements:
                result = regrade.apply(question, target, None)
            db.session.rollback()
            return len(statements), result.attempts

    one, attempts = count()
    assert attempts == 1
    for n in range(4):
        sit(app, f"more{n}@example.org", right={"numeric"})  # these get version 2
    fields = read_form(instructor.get("/author/questions/demo-single/edit").get_data(as_text=True))
    instructor.post("/author/questions/demo-single/edit", data={**fields, "stem": "Reworded."})  # version 3
    many, attempts = count()
    assert attempts == 5 and many == one
