"""Issue 19: the items page at 1,000,000 attempts while a recompute of the same statistics runs on a real worker.

On the SQL-multiplied data set (bench/items_data.py: 1,000,000 attempts, 100,000 of them of bls-readiness with 30
responses each) this starts gunicorn with the production settings and one real Celery worker (solo pool) on Redis,
both on PostgreSQL. An instructor's session is signed in-process. Three phases, one request at a time, each request
timed by the client:
- bare: the items page (`?attempts=all`, the stored report) with no job running;
- during: "Recalculate" is pressed (a POST, as the page's button) and the page is requested again and again while the
  job is `running` on the worker (requests made while it is still queued are not counted);
- bare again, after the job ended (the machine is shared, so the two bare phases bracket the measured one).
It reports the median and p95 of each phase, the ratio of the during-median to the bare median, and how long the
worker took. Target (issue 19 done means): under 200 ms while a recompute runs.

    .venv/bin/python bench/recompute_bench.py [--copies 100] [--requests 60]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import time

import common
import items_data
from common import BROKER_URL, MAIL_URL, RESULTS, ROOT, SECRET_KEY, USER_AGENT, percentile, sign_in, table, write_result
from dataset import REPORT_QUIZ
from report_bench import instructor, recompute
from server import gunicorn, stop

TARGET_MS = 200.0
QUEUE = "quizapp-bench-recompute"  # a queue of its own on the shared Redis
PAGE = f"/reports/{REPORT_QUIZ}/items?attempts=all"


@contextlib.contextmanager
def celery_worker(url: str, queue: str = QUEUE, name: str = "recompute_worker"):
    """Run one real worker (`celery -A quizapp.jobs.worker worker`, solo pool) on `queue` until the block ends."""
    env = {**os.environ, "QUIZAPP_ENV": "production", "SECRET_KEY": SECRET_KEY, "BROKER_URL": BROKER_URL,
           "MAIL_URL": MAIL_URL, "PUBLIC_URL": common.PUBLIC_URL, "DATABASE_URL": url, "JOBS_QUEUE": queue}
    log = RESULTS / f"{name}.log"
    with open(log, "wb") as out:
        command = [sys.executable, "-m", "celery", "-A", "quizapp.jobs.worker", "worker", "--pool=solo",
                   "--loglevel=INFO", "-n", "bench@%h", "--without-mingle", "--without-gossip"]
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while " ready." not in log.read_text(errors="replace"):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"bench: the worker did not start; see {log}")
            time.sleep(0.2)
        yield proc
    finally:
        stop(proc)


def job_state(app) -> tuple[str, object, object] | None:
    """Return (state, started_at, finished_at) of the newest recompute job of the report quiz, if any."""
    from sqlalchemy import select

    from quizapp.extensions import db
    from quizapp.models import Job

    with app.app_context():
        row = db.session.execute(select(Job.state, Job.started_at, Job.finished_at).where(Job.kind == "items")
                                 .order_by(Job.id.desc()).limit(1)).first()
        db.session.rollback()
        return tuple(row) if row else None


def timed_get(client, url: str) -> float:
    """Return the seconds one GET of the page took (stop if it is not a 200)."""
    began = time.perf_counter()
    response = client.get(url)
    took = time.perf_counter() - began
    if response.status_code != 200:
        raise SystemExit(f"bench: {url} answered {response.status_code}")
    return took


def summary(name: str, seconds: list[float]) -> dict:
    """Return a phase's request count, median and p95 in milliseconds."""
    return {"phase": name, "requests": len(seconds), "p50_ms": round(1000 * statistics.median(seconds), 1),
            "p95_ms": round(1000 * percentile(seconds, 95), 1), "max_ms": round(1000 * max(seconds), 1)}


def measure(app, server_url: str, requests: int) -> tuple[list[dict], dict]:
    """Time the bare page, the page while the worker recomputes, and the bare page again."""
    import httpx

    person = sign_in(app, [instructor(app)])[0]
    headers = {"Cookie": f"session={person.cookie}", "User-Agent": USER_AGENT}
    with httpx.Client(base_url=server_url, headers=headers, timeout=30) as client:
        for _ in range(5):  # unmeasured: every gunicorn worker's connection and templates
            timed_get(client, PAGE)
        bare = [timed_get(client, PAGE) for _ in range(requests)]
        response = client.post(f"/reports/{REPORT_QUIZ}/items/recalculate", data={"attempts": "all"},
                               headers={"X-CSRFToken": person.csrf})
        if response.status_code != 303:
            raise SystemExit(f"bench: Recalculate answered {response.status_code}")
        during, queued = [], 0
        while (state := job_state(app)) and state[0] in ("queued", "running"):
            took = timed_get(client, PAGE)
            if job_state(app)[0] == "running" and state[0] == "running":  # running before and after the request
                during.append(took)
            else:
                queued += 1
        final = job_state(app)
        after = [timed_get(client, PAGE) for _ in range(requests)]
    job = {"state": final[0], "worker_seconds": round((final[2] - final[1]).total_seconds(), 1),
           "requests_while_queued": queued}
    if not during:
        raise SystemExit("bench: the job ended before any request was made while it ran")
    return [summary("bare", bare), summary("during recompute", during), summary("bare after", after)], job


def main(argv: list[str] | None = None) -> dict:
    """Build or reuse the data set, run the server and the worker, and print the table."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--copies", type=int, default=100, help="copies of the seed (100: 1,000,000 attempts)")
    p.add_argument("--requests", type=int, default=60, help="requests per bare phase")
    p.add_argument("--web-workers", type=int, default=2, help="gunicorn workers")
    args = p.parse_args(argv)
    os.environ["JOBS_QUEUE"] = QUEUE  # gunicorn and the in-process app send to the bench worker's queue
    stamp = items_data.ensure(args.copies)
    from common import make_app

    app = make_app(stamp["url"])
    recompute(app, "all")  # a stored report to show, as after any earlier recalculation
    load = [round(os.getloadavg()[0], 1)]  # the machine is shared: its load before and after the measurement
    with gunicorn(stamp["url"], args.web_workers, name="recompute_gunicorn") as server, celery_worker(stamp["url"]):
        rows, job = measure(app, server.url, args.requests)
    load.append(round(os.getloadavg()[0], 1))
    bare = round(statistics.median([rows[0]["p50_ms"], rows[2]["p50_ms"]]), 1)
    ratio = round(rows[1]["p50_ms"] / bare, 2)
    p95 = rows[1]["p95_ms"]
    met = "met" if p95 < TARGET_MS else "NOT met"
    verdict = (f"{stamp['attempts']:,} attempts: items page during a recompute p50 {rows[1]['p50_ms']} ms, p95 {p95} "
               f"ms ({ratio}x the bare median {bare} ms); target < {TARGET_MS:g} ms: {met} (p95); "
               f"the worker's recompute took {job['worker_seconds']} s; load average {load[0]} before, {load[1]} after")
    markdown = table(rows, ["phase", "requests", "p50_ms", "p95_ms", "max_ms"])
    result = {"dataset": stamp, "rows": rows, "job": job, "load": load, "ratio": ratio, "verdict": verdict,
              "markdown": markdown, "web_workers": args.web_workers}
    path = write_result("recompute_bench", result)
    print(markdown, verdict, f"wrote {path}", sep="\n")
    return result


if __name__ == "__main__":
    main()
