"""Issue 20: the learner's hot path in few statements with warm caches; the save's open check inside the upsert."""

import sqlite3
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.orm import Session

from quizapp import clock
from quizapp.accounts import profiles
from quizapp.extensions import db
from quizapp.forms import shown as shown_forms
from quizapp.models import Attempt, Response, User
from quizapp.taking import open_sitting, sitting
from tests.conftest import DATA, PROJECT, import_paths
from tests.support import counted_queries
from tests.taking.helpers import form_for, layout, start

HOT_BUDGET = {"question page": 1, "answer save": 1, "autosave": 1, "start": 2}
# A start that asks the intake also stores the answers and the time zone in the profile: one upsert more.
INTAKE_START_BUDGET = 3
# A start drawn toward the learner's weakest topics reads their latest topic scores first: one select more.
FOCUS_START_BUDGET = 3
INTAKE = {"role": "nurse", "employer_requires": "bls", "clinical_setting": "y", "cares_for": "adults",
          "regulatory": "none", "current_card": "none", "time_zone": "Europe/Paris"}


def hot_costs(app, auth, slug: str) -> dict[str, list[str]]:
    """Warm the caches with one learner's attempt, then count a second learner's start, page, save and autosave."""
    warm = auth.sign_in("learner", "warm@example.org")
    pid = start(warm, slug)
    warm.get(f"/attempts/{pid}/questions/1")
    client = auth.sign_in("learner", "hot@example.org", client=app.test_client())
    costs = {}
    with counted_queries(app) as q:
        pid = start(client, slug)
    costs["start"] = q
    slot, version = layout(app, pid)[0]
    with counted_queries(app) as q:
        assert client.get(f"/attempts/{pid}/questions/1").status_code == 200
    costs["question page"] = q
    with counted_queries(app) as q:
        response = client.post(f"/attempts/{pid}/questions/1", data={**form_for(slot, version), "go": "next"})
    assert response.status_code == 303
    costs["answer save"] = q
    with counted_queries(app) as q:
        assert client.post(f"/attempts/{pid}/questions/1/autosave", data=form_for(slot, version)).json["saved"]
    costs["autosave"] = q
    return costs


@pytest.mark.parametrize("slug", ["demo-exam", "demo-practice", "demo-timed"])
def test_hot_requests_within_issue_20_budget(app, auth, demo, slug):
    costs = hot_costs(app, auth, slug)
    over = {kind: statements for kind, statements in costs.items() if len(statements) > HOT_BUDGET[kind]}
    assert not over, "\n\n".join(f"{kind}: {len(s)}\n" + "\n".join(s) for kind, s in over.items())


def test_a_start_drawn_toward_the_weakest_topics_stays_within_the_budget(app, auth):
    import_paths(app, PROJECT / "questions")
    # Only the start is new here: a page's question may not be cached yet, as the shipped banks are larger than the
    # warm learner's draw (the demo quizzes above hold the page's budget).
    statements = hot_costs(app, auth, "mixed-practice")["start"]
    assert sum(s.startswith("SELECT attempt.topic_scores") for s in statements) == 1  # the latest topic scores
    assert len(statements) <= FOCUS_START_BUDGET, "\n".join(statements)


def test_start_with_the_intake_within_budget(app, auth, tmp_path):
    quizzes = tmp_path / "intake.yaml"
    quizzes.write_text("format: quizapp-quizzes/1\nquizzes:\n  - slug: intake-quiz\n    title: Intake quiz\n"
                       "    draw: [{bank: demo, count: 5}]\n    intake: true\n")
    import_paths(app, DATA / "demo-bank.yaml", quizzes)
    warm = auth.sign_in("learner", "warm@example.org")
    assert warm.post("/quizzes/intake-quiz/start", data=INTAKE).status_code == 303
    client = auth.sign_in("learner", "hot@example.org", client=app.test_client())
    with counted_queries(app) as q:
        assert client.post("/quizzes/intake-quiz/start", data=INTAKE).status_code == 303
    assert len(q) <= INTAKE_START_BUDGET, "\n".join(q)
    with app.app_context():
        hot = db.session.execute(select(User).where(User.email == "hot@example.org")).scalar_one()
        assert profiles.intake_of(hot)["role"] == "nurse" and profiles.time_zone_of(hot) == "Europe/Paris"


@contextmanager
def transactions_seen(app):
    """Record (statement, whether the driver ran it inside a transaction) for the statements run in the block.

    PostgreSQL's driver sends BEGIN before a statement unless in autocommit; SQLite's begins only before a write.
    """
    with app.app_context():
        engine = db.engine
    seen: list[tuple[str, bool]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        """Keep the statement and whether it ran in a transaction."""
        driver = conn.connection.dbapi_connection
        inside = driver.in_transaction if isinstance(driver, sqlite3.Connection) else not driver.autocommit
        seen.append((statement.split()[0], inside))

    event.listen(engine, "after_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "after_cursor_execute", record)


@pytest.mark.parametrize("slug", ["demo-exam", "demo-practice"])
def test_hot_requests_send_no_begin_and_no_commit(app, auth, demo, slug):
    # Each statement is its own transaction: on PostgreSQL two round trips of four fewer per request.
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("PostgreSQL only: SQLite's driver sends no BEGIN before a read, and its writes are in-process")
    client = auth.sign_in("learner", "hot@example.org")
    pid = start(client, slug)
    slot, version = layout(app, pid)[0]
    with transactions_seen(app) as seen:
        assert client.get(f"/attempts/{pid}/questions/1").status_code == 200
        assert client.post(f"/attempts/{pid}/questions/1/autosave", data=form_for(slot, version)).json["saved"]
        answer = {**form_for(slot, version), "go": "check" if slug == "demo-practice" else "next"}
        assert client.post(f"/attempts/{pid}/questions/1", data=answer).status_code == 303
    assert seen and not [s for s in seen if s[1]], seen


def test_the_hot_requests_open_no_orm_session(app, auth, demo):
    # Their statements (the reads; a version not yet cached; the save's upsert) run each on a pooled connection of its
    # own: opening and closing an ORM session was about a tenth of a question page's CPU.
    client = auth.sign_in("learner", "alone@example.org")
    pid = start(client, "demo-exam")
    slot, version = layout(app, pid)[0]
    begun = []

    def record(session, transaction):
        begun.append(transaction)

    event.listen(Session, "after_transaction_create", record)
    try:
        with app.app_context():
            app.extensions.pop("quizapp.pinned", None)  # the versions read too
        assert client.get(f"/attempts/{pid}/questions/1").status_code == 200
        assert client.post(f"/attempts/{pid}/questions/1/autosave", data=form_for(slot, version)).json["saved"]
        answer = {**form_for(slot, version), "go": "next"}
        assert client.post(f"/attempts/{pid}/questions/1", data=answer).status_code == 303
        assert client.get(f"/attempts/{pid}/questions/2").status_code == 200
    finally:
        event.remove(Session, "after_transaction_create", record)
    assert not begun
    with app.app_context():  # the save committed
        saved = select(Response.slot).join(Attempt, Attempt.id == Response.attempt_id).where(Attempt.public_id == pid)
        assert db.session.scalars(saved).all() == [0]


def test_a_cached_question_page_builds_no_answer_fields(app, auth, demo, monkeypatch):
    # The fieldset of a question seen before comes from the cache: its fields (options, labels) are not built again.
    client = auth.sign_in("learner", "fields@example.org")
    pid = start(client, "demo-exam")
    built = []
    real = shown_forms._fields
    monkeypatch.setattr(shown_forms, "_fields", lambda *args: built.append(args) or real(*args))
    page = client.get(f"/attempts/{pid}/questions/1")
    assert page.status_code == 200 and len(built) == 1
    again = client.get(f"/attempts/{pid}/questions/1")
    assert again.data == page.data and len(built) == 1


def test_an_attempts_layout_is_parsed_once_per_worker(app, auth, demo, monkeypatch):
    client = auth.sign_in("learner", "layout@example.org")
    pid = start(client, "demo-exam")
    open_sitting.layout_of.cache_clear()
    for number in (1, 2, 1):
        monkeypatch.setattr(open_sitting, "_KEPT", {})  # each page from a fresh read, not what the last one kept
        assert client.get(f"/attempts/{pid}/questions/{number}").status_code == 200
    info = open_sitting.layout_of.cache_info()
    assert (info.misses, info.hits) == (1, 2)
    with app.app_context():  # the same list the ORM reads
        attempt = db.session.execute(select(Attempt).where(Attempt.public_id == pid)).scalar_one()
        assert open_sitting.load(pid, attempt.user_id).layout == attempt.layout


def test_an_overdue_attempt_is_finalised_in_one_transaction(app, auth, demo, monkeypatch):
    client = auth.sign_in("learner", "late@example.org")
    pid = start(client, "demo-timed")
    slot, version = layout(app, pid)[0]
    assert client.post(f"/attempts/{pid}/questions/1/autosave", data=form_for(slot, version)).status_code == 200
    later = clock.now() + timedelta(minutes=11)
    monkeypatch.setattr(clock, "now", lambda: later)
    with transactions_seen(app) as seen:
        assert client.get(f"/attempts/{pid}/questions/1").status_code == 303
    writes = [s for s in seen if s[0] in ("INSERT", "UPDATE", "DELETE")]
    assert writes and all(inside for _, inside in writes), seen  # scores, status and queued jobs commit together
    with app.app_context():
        assert db.session.execute(text("SELECT status, score FROM attempt")).one() == ("expired", 1)


def test_sqlite_runs_a_write_ahead_log_synced_at_checkpoints(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite only: PostgreSQL keeps its own durability settings")
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL


def test_save_to_a_submitted_attempt_is_refused_with_the_same_message(app, learner):
    pid = start(learner, "demo-exam")
    slot, version = layout(app, pid)[0]
    learner.post(f"/attempts/{pid}/submit")
    with app.app_context():
        saved = db.session.execute(text("SELECT count(*) FROM response")).scalar()
    answer = learner.post(f"/attempts/{pid}/questions/1/autosave", data=form_for(slot, version))
    assert answer.status_code == 409
    assert answer.json == {"saved": False, "closed": True,
                           "error": "This attempt has been submitted; answers can no longer change."}
    with app.app_context():
        assert db.session.execute(text("SELECT count(*) FROM response")).scalar() == saved


def test_cached_question_follows_the_saved_answer(app, learner):
    pid = start(learner, "demo-exam")
    page = f"/attempts/{pid}/questions/1"
    slot, version = layout(app, pid)[0]
    shown = {"blank": fieldset(learner.get(page).data)}
    assert fieldset(learner.get(page).data) == shown["blank"]  # the second view is served from the cache
    for correct in (True, False):
        learner.post(f"{page}/autosave", data=form_for(slot, version, correct))
        shown[correct] = fieldset(learner.get(page).data)
    assert len(set(shown.values())) == 3, shown  # each saved answer shows, not the first one cached


def fieldset(page: bytes) -> str:
    """Return the question's fieldset of a page."""
    text = page.decode()
    return text[text.index('<fieldset class="question"'):text.index("</fieldset>")]


def test_the_page_reads_the_saved_slots_with_the_attempt_as_a_select_would(app, auth, demo):
    client = auth.sign_in("learner", "saved@example.org")
    pid = start(client, "demo-practice")
    slots = layout(app, pid)
    page = f"/attempts/{pid}/questions"
    client.post(f"{page}/1", data={**form_for(*slots[0]), "go": "check"})  # checked: locked
    client.post(f"{page}/2/autosave", data={"flag": "y"})  # flagged, no answer
    client.post(f"{page}/3/autosave", data={**form_for(*slots[2], correct=False), "flag": "y"})
    with app.app_context():
        uid = db.session.execute(select(User.id).where(User.email == "saved@example.org")).scalar_one()
        attempt = db.session.execute(select(Attempt).where(Attempt.public_id == pid)).scalar_one()
        selected = {k: (r.slot, r.answer, bool(r.answered), bool(r.flagged), bool(r.locked))
                    for k, r in sitting.saved_slots(attempt).items()}
        _, read = open_sitting.load_with_user(pid, uid, with_saved=True)
        db.session.commit()
    assert {k: tuple(v) for k, v in read.saved.items()} == selected
    assert [selected[k][2:] for k in (0, 1, 2)] == [(True, False, True), (False, True, False), (True, True, False)]
