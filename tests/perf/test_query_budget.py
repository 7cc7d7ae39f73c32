"""Query budgets: hot pages run a small fixed number of queries whatever the number of questions or attempts."""

import pytest

from tests.conftest import import_paths
from tests.support import counted_queries
from tests.taking.helpers import answer_all, form_for, layout, start


def big_bank(tmp_path, n: int) -> tuple:
    """Write a bank of n single-choice questions and a quiz drawing all of them."""
    questions = "".join(
        f"""  - key: big{n}-{i:04d}
    type: single
    stem: Question {i}
    choices:
      - {{text: right {i}, correct: true}}
      - {{text: wrong {i}, feedback: "nope"}}
    explanation: because
    reference: ref
"""
        for i in range(n)
    )
    bank = tmp_path / f"big{n}.yaml"
    bank.write_text(
        f"format: quizapp-bank/1\nbank: big{n}\ntitle: Big\ntopic: big\nlevel: lay\n"
        f"references: {{ref: Ref.}}\nquestions:\n{questions}"
    )
    quizzes = tmp_path / f"quizzes{n}.yaml"
    quizzes.write_text(
        f"format: quizapp-quizzes/1\nquizzes:\n  - slug: big{n}\n    title: Big {n}\n"
        f"    draw: [{{bank: big{n}, count: {n}}}]\n"
    )
    return bank, quizzes


def page_costs(app, client, slug: str) -> dict[str, int]:
    """Start an attempt, and count the queries of each hot request."""
    pid = start(client, slug)
    slot, version = layout(app, pid)[0]
    costs = {}
    with counted_queries(app) as q:
        client.get(f"/attempts/{pid}/questions/1")
    costs["question page"] = len(q)
    with counted_queries(app) as q:
        client.post(f"/attempts/{pid}/questions/1", data={**form_for(slot, version), "go": "next"})
    costs["answer save"] = len(q)
    with counted_queries(app) as q:
        client.post(f"/attempts/{pid}/questions/1/autosave", data=form_for(slot, version))
    costs["autosave"] = len(q)
    answer_all(client, app, pid)
    with counted_queries(app) as q:
        client.post(f"/attempts/{pid}/submit")
    costs["submit"] = len(q)
    with counted_queries(app) as q:
        client.get(f"/attempts/{pid}/result")
    costs["result page"] = len(q)
    with counted_queries(app) as q:
        client.get("/")
    costs["catalog"] = len(q)
    with counted_queries(app) as q:
        client.get("/history")
    costs["history"] = len(q)
    return costs


def test_costs_do_not_grow_with_questions_or_attempts(app, learner, tmp_path):
    small, large = big_bank(tmp_path, 5), big_bank(tmp_path, 40)
    import_paths(app, *small, *large)
    few = page_costs(app, learner, "big5")
    for _ in range(3):  # more attempts in the learner's history
        pid = start(learner, "big5")
        learner.post(f"/attempts/{pid}/submit")
    many = page_costs(app, learner, "big40")
    assert few == many, (few, many)


BUDGET = {
    "question page": 4,  # a cold cache here: the first view of a version in a worker reads it (warm: 3, test_hot_path)
    "answer save": 3,  # issue 20: the open check is inside the upsert
    "autosave": 3,
    "submit": 8,
    "result page": 6,  # + the published quizzes with the attempts used (practice links, retake), one query
    # The home page adds, for a signed-in learner: the last result, the last advice when that result has none, the
    # banks when a practice quiz is suggested, and the viewer's time zone (read once per request for every time).
    "catalog": 7,
    "history": 4,  # + the learner's certificates (their links beside each attempt), one query
}


@pytest.mark.parametrize("page", sorted(BUDGET))
def test_each_hot_request_stays_within_budget(app, learner, page):
    costs = page_costs(app, learner, "demo-exam")
    assert costs[page] <= BUDGET[page], costs
