"""Issue 8 item 2 and issue 20: 1,000 learners start the same quiz within 5 s, or 2,000 within 10 s (PostgreSQL)."""

from __future__ import annotations

import argparse
import asyncio
import threading
import time
from collections import Counter

from client import Client
from common import (
    QUIZ,
    add_learners,
    fresh_database,
    latency_summary,
    need_postgres,
    prepare,
    sign_in,
    table,
    write_result,
)
from server import gunicorn

# Issue 20's p99 targets to the first question: 2 s for 1,000 learners in 5 s, 4 s for 2,000 in 10 s.
P99_TARGETS_S = {1000: 2.0, 2000: 4.0}


def parse(argv: list[str] | None) -> argparse.Namespace:
    """Read the command line."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--quick", action="store_true", help="50 learners over 1 s")
    p.add_argument("--learners", type=int, help="learners starting (default 1000, quick 50)")
    p.add_argument("--window", type=float, help="seconds over which the starts are spread evenly (default 5)")
    p.add_argument("--workers", type=int, default=4, help="WEB_CONCURRENCY (default 4, as gunicorn.conf.py)")
    p.add_argument("--connections", type=int, default=100, help="the client's connection bound (default 100)")
    p.add_argument("--limit", type=float, default=180, help="hard time limit of the run, seconds")
    p.add_argument("--target", type=float, help="p99 target, seconds (default 2, or 4 for more than 1,000 learners)")
    args = p.parse_args(argv)
    args.learners = args.learners or (50 if args.quick else 1000)
    args.window = args.window or (1 if args.quick else 5)
    args.target = args.target or (P99_TARGETS_S[2000] if args.learners > 1000 else P99_TARGETS_S[1000])
    return args


async def stampede(url: str, learners, window: float, connections: int, limit: float) -> dict:
    """Schedule one start per learner evenly over `window` seconds; time each until its first question arrives."""
    client = Client(url, connections=connections)
    waits: list[float] = []
    late: list[float] = []
    t0 = time.perf_counter() + 0.5

    async def learner_run(i: int, learner) -> None:
        scheduled = t0 + i * window / len(learners)
        await asyncio.sleep(max(0.0, scheduled - time.perf_counter()))
        late.append(time.perf_counter() - scheduled)
        pid = await client.start(learner, QUIZ)
        if pid is not None and await client.page(learner, "first question", f"/attempts/{pid}/questions/1"):
            waits.append(time.perf_counter() - scheduled)

    cpu, wall = time.process_time(), time.perf_counter()
    try:
        await asyncio.wait_for(asyncio.gather(*(learner_run(i, x) for i, x in enumerate(learners))), limit)
    except TimeoutError:
        client.errors["run time limit reached"] += 1
    finally:
        await client.close()
    wall = time.perf_counter() - wall
    return {
        "learners": len(learners),
        "reached_first_question": len(waits),
        "time_to_first_question": latency_summary(waits),
        "start_request": latency_summary(client.latency["start"]),
        "first_question_request": latency_summary(client.latency["first question"]),
        "scheduling_lag": latency_summary(late),
        "statuses": dict(client.statuses),
        "errors": dict(client.errors),
        "requests": sum(len(v) for v in client.latency.values()),
        "seconds": round(wall, 1),
        "client_cpu_share": round((time.process_time() - cpu) / wall, 2),
    }


class LockWaits:
    """Sample pg_stat_activity every 20 ms while the stampede runs: which sessions of the database wait, on what."""

    # A start that serialised on a shared row or lock would show here as Lock waits (transactionid, tuple, relation).
    QUERY = ("SELECT wait_event_type, wait_event FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid() "
             "AND state = 'active' AND wait_event_type IS NOT NULL")

    def __init__(self, url: str) -> None:
        """Prepare a sampler of the bench database `url`."""
        self.url, self.database = url, url.rsplit("/", 1)[-1]
        self.samples, self.waits, self.done = 0, Counter(), threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> LockWaits:
        """Start sampling."""
        self.thread.start()
        return self

    def __exit__(self, *_) -> None:
        """Stop sampling."""
        self.done.set()
        self.thread.join(timeout=5)

    def _run(self) -> None:
        """Count each wait event seen in each sample."""
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            while not self.done.wait(0.02):
                self.samples += 1
                for kind, event in conn.execute(self.QUERY, (self.database,)):
                    self.waits[f"{kind}:{event}"] += 1

    def summary(self) -> dict:
        """Return the samples taken, the lock waits seen and every wait event's count."""
        locks = sum(n for key, n in self.waits.items() if key.startswith("Lock:"))
        return {"samples": self.samples, "lock_waits": locks, "wait_events": dict(self.waits.most_common())}


def count_attempts(app) -> int:
    """Return how many attempts the database holds."""
    from sqlalchemy import func, select

    from quizapp.extensions import db
    from quizapp.models import Attempt

    with app.app_context():
        return db.session.scalar(select(func.count(Attempt.id)))


def main(argv: list[str] | None = None) -> dict:
    """Run the stampede and write bench/results/sync_start.json."""
    args = parse(argv)
    need_postgres()
    url = fresh_database("postgresql", "quizapp_bench_sync")
    app = prepare(url)
    learners = sign_in(app, add_learners(app, args.learners, "sync"))
    with gunicorn(url, args.workers, name="sync-start") as server, LockWaits(url) as waits:
        before = server.cpu_seconds()
        figures = asyncio.run(stampede(server.url, learners, args.window, args.connections, args.limit))
        figures["server_cpu_ms_per_learner"] = round((server.cpu_seconds() - before) / len(learners) * 1000, 1)
    figures["pg_stat_activity"] = waits.summary()
    figures["attempts_in_database"] = count_attempts(app)
    ttfq = figures["time_to_first_question"]
    p99 = (ttfq["p99_ms"] or float("inf")) / 1000
    failures = sum(figures["errors"].values()) + (len(learners) - figures["reached_first_question"])
    figures["verdicts"] = [
        f"p99 time to first question {p99:.2f} s (target < {args.target:g} s): "
        f"{'met' if p99 < args.target else 'MISSED'}",
        f"errors {failures} (target none): {'met' if failures == 0 else 'MISSED'}",
        f"lock waits in pg_stat_activity: {figures['pg_stat_activity']['lock_waits']} in "
        f"{figures['pg_stat_activity']['samples']} samples (target none): "
        f"{'met' if figures['pg_stat_activity']['lock_waits'] == 0 else 'MISSED'}",
    ]
    rows = [
        {"measure": "time to first question", **ttfq},
        {"measure": "POST start", **figures["start_request"]},
        {"measure": "GET question 1", **figures["first_question_request"]},
        {"measure": "client scheduling lag", **figures["scheduling_lag"]},
    ]
    figures["markdown"] = table(rows, ["measure", "p50_ms", "p95_ms", "p99_ms", "max_ms"])
    result = {"settings": vars(args), **figures}
    path = write_result("sync_start", result)
    print(figures["markdown"])
    print(f"learners {len(learners)}, reached question 1: {figures['reached_first_question']}, attempts in database: "
          f"{figures['attempts_in_database']}, statuses {figures['statuses']}, errors {figures['errors']}, "
          f"server CPU {figures['server_cpu_ms_per_learner']} ms per learner, run {figures['seconds']} s, "
          f"wait events {figures['pg_stat_activity']['wait_events']}")
    print("\n".join(figures["verdicts"]))
    print(f"wrote {path}")
    return result


if __name__ == "__main__":
    main()
