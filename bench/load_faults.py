"""Issue 7 item 13: 500 learners take a 30-question quiz at once; then again while one worker is SIGKILLed."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import time

from client import Client
from common import QUIZ, Answers, Layouts, add_learners, fresh_database, need_postgres, prepare, sign_in, write_result
from faults_check import check
from server import gunicorn


def parse(argv: list[str] | None) -> argparse.Namespace:
    """Read the command line."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--quick", action="store_true", help="20 learners over 1 s")
    p.add_argument("--learners", type=int, help="learners (default 500, quick 20)")
    p.add_argument("--window", type=float, help="seconds over which the starts are spread (default 10, quick 1)")
    p.add_argument("--workers", type=int, default=4, help="WEB_CONCURRENCY (default 4, as gunicorn.conf.py)")
    p.add_argument("--connections", type=int, default=50, help="the client's connection bound (default 50)")
    p.add_argument("--retries", type=int, default=5, help="retries per request in the kill run (default 5)")
    p.add_argument("--kill-at", type=float, default=0.4, help="kill a worker after this share of the requests")
    p.add_argument("--limit", type=float, default=600, help="hard time limit of each run, seconds")
    args = p.parse_args(argv)
    args.learners = args.learners or (20 if args.quick else 500)
    args.window = args.window or (1 if args.quick else 10)
    return args


async def learners_run(url: str, learners, answers: Answers, layouts: Layouts, args, retries: int,
                       killer=None) -> tuple[dict, dict]:
    """Every learner starts within the window, answers each question once, submits and reads the result."""
    client = Client(url, connections=args.connections, retries=retries)
    sent: dict[str, set[int]] = {}  # attempt -> slots whose save was sent at least once
    acked: dict[str, set[int]] = {}  # attempt -> slots the server said were saved
    outcome: dict[int, str] = {}
    t0 = time.perf_counter() + 0.5

    async def one(i: int, learner) -> None:
        await asyncio.sleep(max(0.0, t0 + i * args.window / len(learners) - time.perf_counter()))
        outcome[learner.user_id] = "gave up at start"
        pid = await client.start(learner, QUIZ)
        if pid is None or not await client.page(learner, "question", f"/attempts/{pid}/questions/1"):
            return
        sent[pid], acked[pid] = set(), set()
        layout = await asyncio.to_thread(layouts.get, pid)
        for slot, entry in enumerate(layout):
            sent[pid].add(slot)
            if not await client.save(learner, pid, slot + 1, answers.form(entry)):
                outcome[learner.user_id] = f"gave up at save {slot + 1}"
                return
            acked[pid].add(slot)
        outcome[learner.user_id] = "gave up at submit"
        if await client.submit(learner, pid) and await client.page(learner, "result", f"/attempts/{pid}/result"):
            outcome[learner.user_id] = "submitted"

    tasks = [one(i, x) for i, x in enumerate(learners)]
    if killer is not None:
        tasks.append(killer(client))
    began = time.perf_counter()
    try:
        await asyncio.wait_for(asyncio.gather(*tasks), args.limit)
    except TimeoutError:
        client.errors["run time limit reached"] += 1
    finally:
        await client.close()
    figures = {
        "learners": len(learners),
        "requests": client.sent,
        "retries": client.retried,
        "statuses": dict(client.statuses),
        "errors": dict(client.errors),
        "outcomes": {k: list(outcome.values()).count(k) for k in sorted(set(outcome.values()))},
        "saves_sent": sum(map(len, sent.values())),
        "saves_acknowledged": sum(map(len, acked.values())),
        "seconds": round(time.perf_counter() - began, 1),
    }
    return figures, {"sent": sent, "acked": acked, "outcome": outcome}


def worker_killer(server, share: float, expected: int, record: dict):
    """Return a coroutine that SIGKILLs one worker once `share` of the expected requests were sent."""

    async def kill(client: Client) -> None:
        while client.sent < share * expected:
            await asyncio.sleep(0.05)
        victims = server.worker_pids()
        if not victims:
            record["killed"] = None
            return
        os.kill(victims[0], signal.SIGKILL)
        record.update(killed=victims[0], at_request=client.sent, workers_before=victims)
        began = time.perf_counter()
        while time.perf_counter() - began < 60:
            pids = server.worker_pids()
            if len(pids) == len(victims) and victims[0] not in pids:
                record["respawned_after_s"] = round(time.perf_counter() - began, 2)
                record["workers_after"] = pids
                return
            await asyncio.sleep(0.1)

    return kill


def run_once(args, kill: bool) -> dict:
    """One run on a fresh database: the load, optionally a killed worker, then the database checks."""
    url = fresh_database("postgresql", "quizapp_bench_faults")
    app = prepare(url)
    learners = sign_in(app, add_learners(app, args.learners, "faults"))
    answers, layouts = Answers(app), Layouts(url)
    record: dict = {}
    try:
        with gunicorn(url, args.workers, name=f"faults-{'kill' if kill else 'clean'}") as server:
            killer = worker_killer(server, args.kill_at, args.learners * 34, record) if kill else None
            figures, state = asyncio.run(
                learners_run(server.url, learners, answers, layouts, args, args.retries if kill else 0, killer)
            )
            figures["server_errors_logged"] = server.log.read_text().count("Traceback")
    finally:
        layouts.close()
    figures["kill"] = record if kill else None
    figures["checks"] = check(app, learners, state, figures, kill)
    return figures


def report(name: str, figures: dict) -> str:
    """Return the figures of one run as text."""
    lines = [f"### {name}", f"requests {figures['requests']}, retries {figures['retries']}, "
             f"statuses {figures['statuses']}, errors by kind {figures['errors'] or 'none'}",
             f"outcomes {figures['outcomes']}; saves sent {figures['saves_sent']}, acknowledged "
             f"{figures['saves_acknowledged']}; {figures['seconds']} s"]
    if figures["kill"] is not None:
        lines.append(f"killed worker: {figures['kill']}")
    lines += [f"- {'PASS' if c['ok'] else 'FAIL'}: {c['check']} ({c['detail']})" for c in figures["checks"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict:
    """Run the clean run and the kill run; write bench/results/load_faults.json."""
    args = parse(argv)
    need_postgres()
    runs = {"clean run": run_once(args, kill=False), "one worker SIGKILLed": run_once(args, kill=True)}
    text = "\n\n".join(report(name, figures) for name, figures in runs.items())
    passed = all(c["ok"] for figures in runs.values() for c in figures["checks"])
    result = {"settings": vars(args), "runs": runs, "passed": passed, "markdown": text}
    path = write_result("load_faults", result)
    print(text)
    print(f"\n{'all checks passed' if passed else 'SOME CHECKS FAILED'}; wrote {path}")
    return result


if __name__ == "__main__":
    main()
