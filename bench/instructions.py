"""Issue 20: instructions per hot request, counted by callgrind: repeatable to 0.02% where times drift by 30%.

Prepares a PostgreSQL bench database with signed-in learners once, then runs this script under
`valgrind --tool=callgrind` twice per kind, sending N1 and then N2 requests in-process through the production app
(CSRF, session protection and the limiter on); (I2 - I1) / (N2 - N1) is the count per request, the app's start-up
and its first requests cancelling out. The warm-up visits every page of 10 learners first (their question HTML
cached, their attempts kept), as a steady load does. Only this process is counted, not PostgreSQL's.

    .venv/bin/python bench/instructions.py [--kinds page,autosave,save] [--warm 320] [--measured 200]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys

import common
from common import BENCH, RESULTS, fail, need_postgres, table, write_result

STATE = RESULTS / "instructions-state.json"
KINDS = ("page", "autosave", "save", "start")
LEARNERS = 10


def parse(argv: list[str] | None) -> argparse.Namespace:
    """Read the command line."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--kinds", default="page,autosave", help="comma-separated: " + ",".join(KINDS))
    p.add_argument("--warm", type=int, default=320, help="requests before the counted ones (N1, default 320)")
    p.add_argument("--measured", type=int, default=200, help="requests counted (N2 - N1, default 200)")
    p.add_argument("--run", nargs=3, metavar=("KIND", "N", "OFFSET"), help=argparse.SUPPRESS)
    return p.parse_args(argv)


def prepare_state() -> None:
    """Create the bench database, 10 learners with an attempt each and learners to start; save their sessions."""
    from common import add_learners, fresh_database, prepare, sign_in, start_attempts

    url = fresh_database("postgresql", "quizapp_bench_instructions")
    app = prepare(url)
    learners = sign_in(app, add_learners(app, LEARNERS, "instr"))
    attempts = start_attempts(app, learners)
    starters = sign_in(app, add_learners(app, 3000, "instr-start"))
    RESULTS.mkdir(parents=True, exist_ok=True)
    STATE.write_text(json.dumps({
        "key": common.SECRET_KEY, "url": url, "learners": [vars(x) for x in learners], "attempts": attempts,
        "starters": [vars(x) for x in starters],
    }))


def run(kind: str, n: int, offset: int) -> None:
    """Send n requests of `kind` through the production app in this process (the one callgrind counts)."""
    import cpu_profile
    from common import Answers, Learner, make_app

    state = json.loads(STATE.read_text())
    app = make_app(state["url"], state["key"], RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://",
                   WEB_CONCURRENCY="1")
    learners = [Learner(**x) for x in state["learners"]]
    starters = iter([Learner(**x) for x in state["starters"]][offset:])
    call = cpu_profile.Requests(app, kind, learners, [tuple(a) for a in state["attempts"]], Answers(app), starters)
    for _ in range(n):
        call()


def counted(kind: str, n: int, offset: int) -> int:
    """Return the instructions callgrind counts for a process sending n requests of `kind`."""
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, __file__,
               "--run", kind, str(n), str(offset)]
    done = subprocess.run(command, cwd=BENCH, env={**os.environ, "PYTHONHASHSEED": "0"},
                          capture_output=True, text=True, check=False)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode != 0 or found is None:
        fail(f"callgrind run of {n} {kind} requests failed: {done.stderr[-2000:]}")
    return int(found.group(1))


def main(argv: list[str] | None = None) -> dict:
    """Count each kind's instructions per request; print the table and write bench/results/instructions.json."""
    args = parse(argv)
    if args.run:
        run(args.run[0], int(args.run[1]), int(args.run[2]))
        return {}
    if shutil.which("valgrind") is None:
        fail("valgrind is not installed (apt-get install valgrind)")
    need_postgres()
    prepare_state()
    rows = []
    for kind in [k for k in args.kinds.split(",") if k]:
        if kind not in KINDS:
            fail(f"unknown kind {kind!r}: one of {', '.join(KINDS)}")
        first = counted(kind, args.warm, 0)
        second = counted(kind, args.warm + args.measured, args.warm + 100)  # starts: learners not yet started
        rows.append({"request": kind, "warm": args.warm, "measured": args.measured,
                     "instructions_per_request_M": round((second - first) / args.measured / 1e6, 3)})
    text = table(rows, ["request", "warm", "measured", "instructions_per_request_M"])
    print(text)
    path = write_result("instructions", {"settings": vars(args), "rows": rows, "markdown": text, "passed": True})
    print(f"wrote {path}")
    return {"rows": rows}


if __name__ == "__main__":
    main()
