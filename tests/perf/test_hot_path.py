"""Issue 20 budgets: the learner's hot path in a few statements with warm caches, and the save's open check folded in."""

import pytest

from tests.support import counted_queries
from tests.taking.helpers import form_for, layout, start

HOT_BUDGET = {"question page": 3, "answer save": 3, "autosave": 3, "start": 6}


def hot_costs(app, auth, slug: str) -> dict[str, list[str]]:
    """Warm the caches with one learner's attempt, then count a second learner's start, page, save and autosave."""
    warm = auth.sign_in("learner", "warm@example.org")
    pid = start(warm, slug)
    warm.get(f"/attempts/{pid}/questions/1")
    client = auth.sign_in("learner", "hot@example.org")
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
