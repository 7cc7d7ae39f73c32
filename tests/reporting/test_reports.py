"""The per-quiz report: who may see it, its numbers for hand-made attempts, and its per-worker cache."""

from __future__ import annotations

import re
import statistics

import pytest
from sqlalchemy import select

from quizapp import audit
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptStatus, Quiz
from quizapp.numfmt import number
from quizapp.reporting import reports
from tests.conftest import PROJECT, import_paths, login, make_user
from tests.reporting.support import pct, staff_client, stat, take, text_of
from tests.support import TOKEN, counted_queries

URLS = ["/reports/", "/reports/demo-exam", "/reports/demo-exam/items"]
RIGHT, WRONG, THREE = [True] * 5, [False] * 5, [True, True, True, False, False]


@pytest.mark.parametrize("url", URLS)
def test_anonymous_is_sent_to_sign_in(client, demo, url):
    response = client.get(url)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("url", URLS)
def test_learner_is_forbidden(app, learner, url):
    assert learner.get(url).status_code == 403


@pytest.mark.parametrize("role", ["instructor", "admin"])
@pytest.mark.parametrize("url", URLS)
def test_instructor_and_admin_see_reports(app, demo, role, url):
    assert staff_client(app, role).get(url).status_code == 200


def test_unknown_quiz_is_404(app, demo):
    boss = staff_client(app, "instructor")
    assert boss.get("/reports/no-such-quiz").status_code == 404
    assert boss.get("/reports/no-such-quiz/items").status_code == 404


def test_index_lists_quizzes_with_finished_attempts(app, demo):
    take(app, "a@example.org", RIGHT)
    take(app, "b@example.org", WRONG)
    page = staff_client(app, "instructor").get("/reports/").get_data(as_text=True)
    row = re.search(r'<tr>\s*<th scope="row"><a href="/reports/demo-exam">Demo exam</a>.*?</tr>', page, re.S)
    assert row, page
    assert text_of(row.group(0)).startswith("Demo exam Published 2 2 ")
    assert 'href="/reports/demo-exam/items"' in page and "Demo timed" in page


def histogram(page: str) -> list[int]:
    """Return the attempt counts of the score-distribution table."""
    table = page[page.index("<caption>Attempts by score</caption>") :]
    table = table[: table.index("</table>")]
    return [int(n) for n in re.findall(r'</th>\s*<td class="num">(\d+)</td>', table)]


def expected(percents: list[float], pass_mark: float) -> dict:
    """The summary figures computed independently of the service."""
    bins = [0] * 10
    for p in percents:
        bins[min(int(p // 10), 9)] += 1
    passed = sum(p >= pass_mark for p in percents)
    return {
        "attempts": len(percents),
        "passed": passed,
        "pass_rate": 100 * passed / len(percents),
        "mean": statistics.fmean(percents),
        "median": statistics.median(percents),
        "bins": bins,
    }


@pytest.mark.parametrize(("mode", "percents"), [("first", [100, 0, 60]), ("all", [100, 0, 60, 0])])
def test_report_numbers_for_hand_made_attempts(app, demo, mode, percents):
    a = take(app, "a@example.org", RIGHT)
    take(app, "b@example.org", WRONG)
    take(app, "c@example.org", THREE)
    take(app, "a@example.org", WRONG, client=a)  # a second attempt: counted only with ?attempts=all
    want = expected(percents, 60)
    query = "" if mode == "first" else "?attempts=all"
    page = staff_client(app, "instructor").get(f"/reports/demo-exam{query}").get_data(as_text=True)
    assert stat(page, "attempts") == str(want["attempts"])
    assert stat(page, "learners") == "3"
    assert stat(page, "pass_rate") == pct(want["pass_rate"], 1)
    assert stat(page, "mean") == pct(want["mean"])
    assert stat(page, "median") == pct(want["median"])
    assert stat(page, "low") == "0.00%" and stat(page, "high") == "100.00%"
    assert histogram(page) == want["bins"]
    assert f"Demo bank</th><td>{number(want['mean'])}%</td>" in page  # the one topic's average
    assert ("first attempt</strong> only" in page) == (mode == "first")
    assert f"{want['attempts']} of 4 finished attempts" in page or f"{want['attempts']} of 4." in page
    with app.app_context():
        quiz = db.session.execute(select(Quiz).where(Quiz.slug == "demo-exam")).scalar_one()
        data = reports.summary(quiz, mode)
    assert data["mean"] == pytest.approx(want["mean"]) and data["median"] == pytest.approx(want["median"])
    assert [b["count"] for b in data["histogram"]] == want["bins"]
    assert data["tracks"] == [] and data["topics"] == {"demo": round(want["mean"], 2)}


def test_unknown_mode_counts_first_attempts(app, demo):
    a = take(app, "a@example.org", RIGHT)
    take(app, "a@example.org", WRONG, client=a)
    page = staff_client(app, "instructor").get("/reports/demo-exam?attempts=bogus").get_data(as_text=True)
    assert stat(page, "attempts") == "1" and "first attempt</strong> only" in page


def test_no_attempts_yet(app, demo):
    page = staff_client(app, "admin").get("/reports/demo-exam").get_data(as_text=True)
    assert "No finished attempts are counted yet." in page


def test_open_attempts_are_not_counted(app, demo):
    take(app, "a@example.org", RIGHT)
    make_user(app, email="open@example.org")
    other = app.test_client()
    login(other, "open@example.org")
    assert other.post("/quizzes/demo-exam/start").status_code == 303
    page = staff_client(app, "instructor").get("/reports/demo-exam").get_data(as_text=True)
    assert stat(page, "attempts") == "1"


def test_tracks_and_readiness_match_the_stored_recommendations(app):
    """Seeded intake attempts: the SQL grouping agrees with counting the stored recommendations in Python."""
    from quizapp.demo import seeding as demo_data

    app.config["QUESTIONS_DIR"] = str(PROJECT / "questions")
    import_paths(app, PROJECT / "questions")
    with app.app_context():
        for _ in demo_data.run(demo_data.prepare(25, 120, seed=11, slugs=["bls-readiness"])):
            db.session.commit()
        rows = db.session.execute(
            select(Attempt.number, Attempt.percent, Attempt.passed, Attempt.recommendation).where(
                Attempt.status != AttemptStatus.IN_PROGRESS
            )
        ).all()
    first = [r for r in rows if r.number == 1]
    tracks: dict[str, dict[str, int]] = {}
    for r in first:
        counts = tracks.setdefault(r.recommendation["track"], {})
        counts[r.recommendation["readiness"]] = counts.get(r.recommendation["readiness"], 0) + 1
    page = staff_client(app, "instructor").get("/reports/bls-readiness").get_data(as_text=True)
    want = expected([r.percent for r in first], 84)
    assert stat(page, "attempts") == str(len(first))
    assert stat(page, "mean") == pct(want["mean"]) and stat(page, "median") == pct(want["median"])
    assert histogram(page) == want["bins"]
    for slug, counts in tracks.items():
        row = re.search(rf'<tr id="track-{slug}">(.*?)</tr>', page, re.S).group(1)
        cells = [int(n) for n in re.findall(r'<td class="num">(\d+)</td>', row)]
        want_cells = [counts.get("ready", 0), counts.get("review", 0), counts.get("not-assessed", 0)]
        assert cells == [*want_cells, sum(counts.values())]


def test_summary_is_cached_until_another_attempt_is_finished(app, demo):
    take(app, "a@example.org", RIGHT)
    boss = staff_client(app, "instructor")
    url = "/reports/demo-exam"
    with counted_queries(app) as cold:
        first = boss.get(url).get_data(as_text=True)
    with counted_queries(app) as warm:
        second = boss.get(url).get_data(as_text=True)
    with counted_queries(app) as again:
        boss.get(url)
    assert TOKEN.sub("", first) == TOKEN.sub("", second)  # the CSRF token carries the second it was made
    assert len(warm) < len(cold) and len(again) == len(warm)
    take(app, "b@example.org", WRONG)
    with counted_queries(app) as after:
        third = boss.get(url).get_data(as_text=True)
    assert len(after) == len(cold)
    assert stat(first, "attempts") == "1" and stat(third, "attempts") == "2"
    assert stat(third, "mean") == "50.00%"


def test_a_regrade_invalidates_the_cache(app, demo):
    take(app, "a@example.org", RIGHT)
    boss = staff_client(app, "instructor")
    with counted_queries(app) as cold:
        boss.get("/reports/demo-exam")
    with app.app_context():
        audit.record(None, reports.REGRADE_ACTION, "question demo-single")
        db.session.commit()
    with counted_queries(app) as after:
        boss.get("/reports/demo-exam")
    assert len(after) == len(cold)
