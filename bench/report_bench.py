"""Issue 8 item 4: the item-statistics page of a quiz with 100,000 attempts of 30 questions, cold and warm.

On the seeded data set (bench/dataset.py: 100,000 finished bls-readiness attempts among 1,000,000) each
measurement runs in a new child process, so nothing is cached in Python: the app is created, an instructor's session
is signed in-process, and the page is requested through the whole Flask stack (test client, production config).
- compute: the first request of a process after the stored report was deleted: the statistics are computed from
  every response (what the first view of a quiz, or "Recalculate", costs);
- cold: the first request of a process while the stored report is current (a new or restarted worker: empty memory
  cache, new database connection, templates compiled);
- warm: the next WARM_REQUESTS requests of the same process (cache valid: no attempt was finished meanwhile).
Both modes of the page: `all` (every finished attempt: 100,000) and `first` (each learner's first attempt).
The database's own caches and the OS page cache stay warm between runs (the machine cannot drop them unprivileged).
Targets: cold under 3 s, warm under 100 ms.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time

import dataset
from common import USER_AGENT, add_learners, make_app, percentile, sign_in, table, write_result

COLD_TARGET_S = 3.0
WARM_TARGET_MS = 100.0
WARM_REQUESTS = 30
INSTRUCTOR = "bench-instructor"
COLUMNS = ["database", "mode", "attempts", "compute_s", "compute_runs_s", "cold_s", "cold_runs_s", "warm_p50_ms",
           "warm_p95_ms", "bytes"]


def parse(argv: list[str] | None) -> argparse.Namespace:
    """Read the command line."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="the quick data set (2,000 report attempts), one cold run")
    p.add_argument("--databases", default="sqlite,postgresql", help="comma-separated: sqlite,postgresql")
    p.add_argument("--cold-runs", type=int, help="child processes per mode; the median cold time counts (default 3)")
    p.add_argument("--child", nargs=3, metavar=("URL", "MODE", "FRESH"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    args.size = "quick" if args.quick else "full"
    args.cold_runs = args.cold_runs or (1 if args.quick else 3)
    return args


def instructor(app) -> int:
    """Return the bench instructor's id, creating the account the first time."""
    from sqlalchemy import select, update

    from quizapp.extensions import db
    from quizapp.models import Role, User

    email = f"{INSTRUCTOR}-00000@bench.invalid"
    with app.app_context():
        found = db.session.scalar(select(User.id).where(User.email == email))
    if found is None:
        found = add_learners(app, 1, INSTRUCTOR)[0]
    with app.app_context():
        db.session.execute(update(User).where(User.id == found).values(role=Role.INSTRUCTOR))
        db.session.commit()
    return found


def child(url: str, mode: str, fresh: str) -> dict:
    """In a new process: time the first request of the items page, or (`fresh`) the recompute job's work."""
    app = make_app(url)
    person = sign_in(app, [instructor(app)])[0]
    if fresh == "fresh":
        forget(app, mode)
    client = app.test_client()
    client.set_cookie("session", person.cookie)
    headers = {"User-Agent": USER_AGENT}
    path = f"/reports/{dataset.REPORT_QUIZ}/items?attempts={mode}"

    def get() -> tuple[float, bytes]:
        began = time.perf_counter()
        response = client.get(path, headers=headers, environ_base={"REMOTE_ADDR": "127.0.0.1"})
        took = time.perf_counter() - began
        if response.status_code != 200:
            raise SystemExit(f"bench: {path} answered {response.status_code}")
        return took, response.data

    computed = recompute(app, mode) if fresh == "fresh" else None
    cold, body = get()
    warm = [get()[0] for _ in range(WARM_REQUESTS)]
    if computed is not None:  # the page never computes a large quiz: a worker's job does, timed here in-process
        cold = computed
    return {"cold_s": cold, "warm": warm, "bytes": len(body), "attempts": counted(app, mode)}


def recompute(app, mode: str) -> float:
    """Run what the recompute job runs (item_report.recompute) in this process; return its seconds."""
    from sqlalchemy import select

    from quizapp.extensions import db
    from quizapp.models import Quiz
    from quizapp.reporting import item_report

    with app.app_context():
        quiz_id = db.session.scalar(select(Quiz.id).where(Quiz.slug == dataset.REPORT_QUIZ))
        began = time.perf_counter()
        item_report.recompute({"quiz_id": quiz_id, "mode": mode}, lambda _: None)
        db.session.commit()
        return time.perf_counter() - began


def forget(app, mode: str) -> None:
    """Delete the stored item statistics of the report quiz in this mode, so the next request computes them."""
    from sqlalchemy import delete, select

    from quizapp.extensions import db
    from quizapp.models import Quiz, ReportSnapshot

    with app.app_context():
        quiz_id = db.session.scalar(select(Quiz.id).where(Quiz.slug == dataset.REPORT_QUIZ))
        db.session.execute(delete(ReportSnapshot).where(ReportSnapshot.quiz_id == quiz_id, ReportSnapshot.mode == mode))
        db.session.commit()


def counted(app, mode: str) -> int:
    """Return how many attempts the page counts in this mode (the report's own rule)."""
    from sqlalchemy import func, select

    from quizapp.extensions import db
    from quizapp.models import Attempt, Quiz
    from quizapp.reporting import reports

    with app.app_context():
        quiz_id = db.session.scalar(select(Quiz.id).where(Quiz.slug == dataset.REPORT_QUIZ))
        return db.session.scalar(select(func.count(Attempt.id)).where(*reports.counted(quiz_id, mode)))


def run_child(kind: str, url: str, mode: str, fresh: str) -> dict:
    """Run one child process and return its figures."""
    done = subprocess.run([sys.executable, __file__, "--child", url, mode, fresh], capture_output=True,
                          text=True, check=False)
    if done.returncode:
        raise SystemExit(f"bench: the {kind} {mode} child failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(kind: str, url: str, mode: str, runs: int) -> dict:
    """Alternate `runs` computing and `runs` cold child processes; return medians and the pooled warm percentiles."""
    computed, cold = [], []
    for _ in range(runs):
        computed.append(run_child(kind, url, mode, "fresh"))
        cold.append(run_child(kind, url, mode, "stored"))
    warm = [w for r in computed + cold for w in r["warm"]]
    return {
        "database": kind,
        "mode": mode,
        "attempts": cold[0]["attempts"],
        "compute_s": round(statistics.median(r["cold_s"] for r in computed), 2),
        "compute_runs_s": [round(r["cold_s"], 2) for r in computed],
        "cold_s": round(statistics.median(r["cold_s"] for r in cold), 3),
        "cold_runs_s": [round(r["cold_s"], 3) for r in cold],
        "warm_p50_ms": round(1000 * statistics.median(warm), 1),
        "warm_p95_ms": round(1000 * percentile(warm, 95), 1),
        "bytes": cold[0]["bytes"],
    }


def main(argv: list[str] | None = None) -> dict:
    """Run the report benchmark and print its table."""
    args = parse(argv)
    if args.child:
        print(json.dumps(child(*args.child)))
        return {}
    kinds = args.databases.split(",")
    stamps = dataset.ensure(kinds, args.size)
    rows = []
    for kind in kinds:
        for mode in ("all", "first"):
            rows.append(measure(kind, stamps[kind]["url"], mode, args.cold_runs))
            print(table(rows[-1:], COLUMNS), flush=True)
    words = [
        f"{r['database']}, {r['mode']} attempts ({r['attempts']:,}): computing {r['compute_s']} s (first view or "
        f"recalculation; reported); cold {r['cold_s']} s (target < {COLD_TARGET_S}: "
        f"{'met' if r['cold_s'] < COLD_TARGET_S else 'NOT met'}), warm p95 {r['warm_p95_ms']} ms (target < "
        f"{WARM_TARGET_MS:g}: {'met' if r['warm_p95_ms'] < WARM_TARGET_MS else 'NOT met'})"
        for r in rows
    ]
    markdown = table(rows, COLUMNS)
    result = {"size": args.size, "datasets": stamps, "rows": rows, "verdicts": words, "markdown": markdown,
              "targets": {"cold_s": COLD_TARGET_S, "warm_ms": WARM_TARGET_MS}}
    path = write_result("report_bench", result)
    print(markdown, *words, f"wrote {path}", sep="\n")
    return result


if __name__ == "__main__":
    main()
