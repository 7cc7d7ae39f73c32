"""Item statistics: the page agrees with itemstats.compute on matrices built here, independently of the service."""

from __future__ import annotations

import math
import statistics

import pytest
from sqlalchemy import select

from quizapp.demo import seeding as demo_data
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptStatus, Question, QuestionVersion, Quiz, Response
from quizapp.numfmt import number
from quizapp.reporting import item_report, itemstats
from tests.conftest import PROJECT, import_paths
from tests.reporting.support import pct, staff_client, stat, take
from tests.support import TOKEN, counted_queries

KEYS = ["demo-single", "demo-multiple", "demo-tf", "demo-order", "demo-numeric"]  # slot order (no shuffle)
# Rows are learners, columns the questions above: demo-single is too easy, demo-order discriminates negatively
# (only the weaker learners get it right) and demo-numeric is too hard.
PATTERNS = [
    [1, 1, 1, 0, 1],
    [1, 1, 1, 0, 0],
    [1, 1, 0, 0, 0],
    [1, 0, 1, 1, 0],
    [1, 0, 0, 1, 0],
    [1, 0, 0, 1, 0],
]


@pytest.fixture
def sat(app, demo):
    """Six learners sat the demo exam once each; returns the first learner's client."""
    clients = [take(app, f"l{i}@example.org", [bool(x) for x in row]) for i, row in enumerate(PATTERNS)]
    return clients[0]


def attempts_data(app, slug: str, mode: str = "first") -> list[tuple[Attempt, dict[int, str], dict[int, float]]]:
    """Return each counted attempt with its slot -> question key and slot -> saved score (ORM, not the service)."""
    with app.app_context():
        keys = dict(
            db.session.execute(
                select(QuestionVersion.id, Question.key).join(Question, QuestionVersion.question_id == Question.id)
            )
            .tuples()
            .all()
        )
        stmt = (
            select(Attempt)
            .join(Quiz)
            .where(Quiz.slug == slug, Attempt.status != AttemptStatus.IN_PROGRESS)
            .order_by(Attempt.id)
        )
        if mode == "first":
            stmt = stmt.where(Attempt.number == 1)
        found = []
        for attempt in db.session.scalars(stmt):
            saved = {
                r.slot: r.score or 0.0 for r in db.session.scalars(select(Response).filter_by(attempt_id=attempt.id))
            }
            db.session.expunge(attempt)
            found.append((attempt, {i: keys[s["v"]] for i, s in enumerate(attempt.layout)}, saved))
        return found


def service_items(app, slug: str, mode: str = "first") -> dict:
    """Return the service's item report."""
    with app.app_context():
        quiz = db.session.execute(select(Quiz).where(Quiz.slug == slug)).scalar_one()
        return item_report.items(quiz, mode).data


def test_fixed_questions_match_itemstats_on_the_full_matrix(app, sat):
    """Every attempt drew every question, so the per-question sub-matrices are the whole matrix (Moodle's case)."""
    rows = attempts_data(app, "demo-exam")
    matrix = [
        [saved.get(slot, 0.0) for slot in sorted(keys, key=lambda s: KEYS.index(keys[s]))] for _, keys, saved in rows
    ]
    assert matrix == [[float(x) for x in row] for row in PATTERNS]
    want = itemstats.compute(matrix, [1.0] * 5)
    got = {q["key"]: q for q in service_items(app, "demo-exam")["questions"]}
    page = staff_client(app, "instructor").get("/reports/demo-exam/items").get_data(as_text=True)
    for key, expected in zip(KEYS, want["questions"], strict=True):
        stats = got[key]["stats"]
        for name in ("facility", "sd", "discriminationindex", "discriminativeefficiency", "effectiveweight"):
            assert stats[name] == pytest.approx(expected[name], abs=1e-9), (key, name)
        row = f"item-{key}"
        facility = None if expected["facility"] is None else 100 * expected["facility"]
        assert stat(page, "facility", row) == pct(facility)
        assert stat(page, "sd", row) == pct(None if expected["sd"] is None else 100 * expected["sd"])
        assert stat(page, "discriminativeefficiency", row) == pct(expected["discriminativeefficiency"])
        assert stat(page, "effectiveweight", row) == pct(expected["effectiveweight"])
        di = expected["discriminationindex"]
        assert stat(page, "discriminationindex", row) == ("—" if di is None else number(di, 2, pad=True))
        assert stat(page, "n", row) == "6"
    test = itemstats.compute([[20 * x for x in row] for row in matrix], [20.0] * 5)["test"]
    for name in ("mean", "median", "standarddeviation", "cic", "errorratio", "standarderror"):
        assert stat(page, name) == pct(test[name]), name
    assert stat(page, "skewness") == number(test["skewness"], 4, pad=True)
    assert stat(page, "kurtosis") == number(test["kurtosis"], 4, pad=True)


def test_flags_are_shown_in_words(app, sat):
    app.config["ITEM_FLAG_MIN_RESPONSES"] = 6  # each question here has 6 responses
    page = staff_client(app, "instructor").get("/reports/demo-exam/items").get_data(as_text=True)
    assert "Too easy (facility above 90%)" in stat(page, "flags", "item-demo-single")
    assert "Negative discrimination" in stat(page, "flags", "item-demo-order")
    assert "Too hard (facility below 30%)" in stat(page, "flags", "item-demo-numeric")
    assert stat(page, "flags", "item-demo-tf") == "None"
    assert "Questions that need attention" in page and 'href="#item-demo-order"' in page
    assert "too few to judge" not in page


def test_flags_are_withheld_below_the_minimum_with_the_reason(app, sat):
    """Six responses are below the default minimum of 30: no flag, and each row and the summary say why."""
    assert app.config["ITEM_FLAG_MIN_RESPONSES"] == 30
    staff = staff_client(app, "instructor")
    page = staff.get("/reports/demo-exam/items").get_data(as_text=True)
    for key in KEYS:
        assert stat(page, "flags", f"item-{key}") == "6 responses: too few to judge; flags from 30"
    assert "Too easy" not in page and "Too hard" not in page and 'href="#item-demo-order"' not in page
    assert "5 of 5 questions drew fewer than 30 responses: too few to judge, so they are not flagged." in page
    assert "item-flagged" not in page
    data = service_items(app, "demo-exam")
    assert all(q["withheld"] and q["flags"] == [] for q in data["questions"])
    app.config["ITEM_FLAG_MIN_RESPONSES"] = 6  # the stored report is judged again by the minimum now in force
    page = staff.get("/reports/demo-exam/items").get_data(as_text=True)
    assert "Too easy (facility above 90%)" in stat(page, "flags", "item-demo-single") and "too few" not in page


def test_with_flags_judges_from_the_minimum_and_leaves_the_stored_data_alone():
    stored = {
        "questions": [
            {"key": "a", "n": 29, "stats": {"facility": 0.95, "discriminationindex": 10.0}},
            {"key": "b", "n": 30, "stats": {"facility": 0.95, "discriminationindex": -5.0}},
        ]
    }
    judged = item_report.with_flags(stored, 30)
    assert [(q["withheld"], q["flags"]) for q in judged["questions"]] == [
        (True, []),
        (False, ["too easy", "negative discrimination"]),
    ]
    assert judged["flag_minimum"] == 30 and "flags" not in stored["questions"][0]


def test_first_attempts_by_default_all_on_request(app, sat):
    take(app, "l0@example.org", [True] * 5, client=sat)  # the first learner tries again
    boss = staff_client(app, "instructor")
    first = boss.get("/reports/demo-exam/items").get_data(as_text=True)
    everything = boss.get("/reports/demo-exam/items?attempts=all").get_data(as_text=True)
    assert "first attempt</strong> only: 6 of 7 finished attempts" in first
    assert "all finished attempts</strong>: 7 of 7" in everything
    assert stat(first, "n", "item-demo-order") == "6" and stat(everything, "n", "item-demo-order") == "7"
    assert stat(first, "n") == "6" and stat(everything, "n") == "7"
    assert 'href="/reports/demo-exam/items?attempts=all"' in first and 'href="/reports/demo-exam/items"' in everything


def test_questions_link_to_the_authoring_page_when_it_exists(app, sat):
    page = staff_client(app, "instructor").get("/reports/demo-exam/items").get_data(as_text=True)
    endpoints = [e for e in ("author.question", "author.edit_question") if e in app.view_functions]
    if endpoints:
        with app.test_request_context():
            from flask import url_for

            href = url_for(endpoints[0], key="demo-tf")
        assert f'<a href="{href}">demo-tf</a>' in page
    else:
        assert ">demo-tf</a>" not in page


def test_items_cached_until_another_attempt_is_finished(app, sat):
    boss = staff_client(app, "instructor")
    url = "/reports/demo-exam/items"
    with counted_queries(app) as cold:
        first = boss.get(url).get_data(as_text=True)
    with counted_queries(app) as warm:
        second = boss.get(url).get_data(as_text=True)
    assert TOKEN.sub("", second) == TOKEN.sub("", first)  # the CSRF token carries the second it was made
    with counted_queries(app) as again:
        boss.get(url)
    assert len(warm) < len(cold) and len(again) == len(warm)
    take(app, "late@example.org", [True] * 5)
    with counted_queries(app) as after:
        third = boss.get(url).get_data(as_text=True)
    assert len(after) > len(warm)
    assert stat(first, "n") == "6" and stat(third, "n") == "7"


@pytest.fixture
def drawn(app):
    """Seeded attempts at a quiz that draws 30 of the real questions: attempts see different questions."""
    app.config["QUESTIONS_DIR"] = str(PROJECT / "questions")
    import_paths(app, PROJECT / "questions")
    with app.app_context():
        for _ in demo_data.run(demo_data.prepare(40, 160, seed=3, slugs=["bls-readiness"])):
            db.session.commit()


def test_random_draws_use_each_questions_sub_matrix(app, drawn):
    rows = attempts_data(app, "bls-readiness")
    got = service_items(app, "bls-readiness")
    by_key: dict[str, list[tuple[float, float]]] = {}
    for attempt, keys, saved in rows:
        for slot, key in keys.items():
            by_key.setdefault(key, []).append((saved.get(slot, 0.0), attempt.score))
    questions = {q["key"]: q for q in got["questions"]}
    assert set(questions) == set(by_key) and got["attempts"] == len(rows)
    assert any(len(pairs) < len(rows) for pairs in by_key.values())  # really drawn at random
    roots = {}
    for key, pairs in by_key.items():
        want = itemstats.compute([[m, t - m] for m, t in pairs], [1.0, 29.0])["questions"][0]
        stats = questions[key]["stats"]
        assert questions[key]["n"] == len(pairs)
        for name in ("facility", "sd", "discriminationindex", "discriminativeefficiency"):
            assert stats[name] == pytest.approx(want[name], abs=1e-9), (key, name)
        marks, totals = [m for m, _ in pairs], [t for _, t in pairs]
        cov = statistics.covariance(marks, totals) if len(pairs) > 1 else None
        roots[key] = math.sqrt(cov) if cov is not None and cov >= -1e-12 else None
    denominator = math.fsum(r * len(by_key[k]) / len(rows) for k, r in roots.items() if r is not None)
    for key, root in roots.items():
        weight = questions[key]["stats"]["effectiveweight"]
        assert weight == (None if root is None else pytest.approx(100 * root / denominator, abs=1e-6))
    slots = [[100 * saved.get(s, 0.0) / a.max_score for s in range(len(keys))] for a, keys, saved in rows]
    test = itemstats.compute(slots, [100 / 30] * 30)["test"]
    for name, value in test.items():
        assert got["test"][name] == pytest.approx(value, abs=1e-9), name
    page = staff_client(app, "instructor").get("/reports/bls-readiness/items").get_data(as_text=True)
    key = next(iter(sorted(questions)))
    assert stat(page, "facility", f"item-{key}") == pct(100 * questions[key]["stats"]["facility"])
    assert stat(page, "cic") == pct(test["cic"])


def test_choice_counts_for_top_and_bottom_thirds(app, drawn):
    with app.app_context():
        versions = {v.id: v.spec() for v in db.session.scalars(select(QuestionVersion))}
        keys = {
            v.id: k
            for v, k in db.session.execute(
                select(QuestionVersion, Question.key).join(Question, QuestionVersion.question_id == Question.id)
            ).tuples()
        }
        answers = {(r.attempt_id, r.slot): r.answer for r in db.session.scalars(select(Response))}
    rows = attempts_data(app, "bls-readiness")
    got = {q["key"]: q for q in service_items(app, "bls-readiness")["questions"]}
    checked = 0
    for key, q in got.items():
        if q["type"] != "single":
            continue
        seen = [
            (a.score, versions[a.layout[s]["v"]], answers.get((a.id, s)))
            for a, slot_keys, _ in rows
            for s, k in slot_keys.items()
            if k == key
        ]
        order = sorted(range(len(seen)), key=lambda i: seen[i][0])
        third = len(seen) // 3
        groups = {"bottom": order[:third], "top": order[len(seen) - third :] if third else []}
        for choice in q["choices"]:
            for name, members in groups.items():
                picked = sum(
                    1
                    for i in members
                    if seen[i][2] is not None and seen[i][1].choices[seen[i][2]["choice"]].text == choice["text"]
                )
                assert choice[name] == picked, (key, choice["text"], name)
        for name, members in groups.items():
            assert q["blank"][name] == sum(1 for i in members if seen[i][2] is None)
        assert [c["correct"] for c in q["choices"]] == [c.correct for c in seen[0][1].choices]
        checked += 1
    assert checked > 5 and keys
