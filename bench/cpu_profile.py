"""Issue 20 item 3: CPU per hot request in-process (warm, Flask test client), with a cProfile summary by group.

Runs N iterations of the question page GET, the answer save (question POST and JSON autosave), the attempt start and
`first` (a start, then the GET of question 1 of that new attempt: a learner's cost to the first question) through
the whole Flask stack of the production app (CSRF on, session protection, rate limits off), on a seeded SQLite file
(default) or PostgreSQL (`--url postgresql://...`, a `quizapp_bench*` database that is recreated).
Reports CPU ms per request (this process's CPU: on SQLite that is the database too, on PostgreSQL not the server's),
the ratio to a bare Flask page of the same size measured in the same run, the wall ms (with waits: a commit's fsync,
PostgreSQL's work), and where the CPU time goes (cProfile with a CPU clock, own time per function, grouped).

    .venv/bin/python bench/cpu_profile.py [--iterations 300] [--url postgresql] [--kinds page,save,autosave,start,first]
"""

from __future__ import annotations

import argparse
import cProfile
import itertools
import pstats
import time
from urllib.parse import urlencode

from common import (
    INTAKE,
    PG_SERVER,
    QUIZ,
    USER_AGENT,
    Answers,
    add_learners,
    fresh_database,
    prepare,
    sign_in,
    start_attempts,
    table,
    write_result,
)

# Where a function's own time is counted: the first group whose marker is in its file name (or <template>).
GROUPS = [
    ("template render", ("jinja2", "/templates/", "<template>", "markupsafe")),
    ("markdown/sanitise", ("markdown_it", "nh3", "textfmt.py", "mdurl")),
    ("ORM/Core", ("sqlalchemy", "psycopg", "sqlite3", "flask_sqlalchemy")),
    ("session/login", ("flask_login", "itsdangerous", "flask/sessions.py", "lti/framing.py", "security.py", "hashlib",
                       "hmac")),
    ("CSRF/forms", ("flask_wtf", "wtforms", "quizapp/forms")),
    ("app logic", ("quizapp",)),
    ("Flask/Werkzeug", ("flask", "werkzeug", "blinker")),
]
KINDS = ("baseline", "page", "save", "autosave", "start", "first")


def parse(argv: list[str] | None) -> argparse.Namespace:
    """Read the command line."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="100 iterations")
    p.add_argument("--iterations", type=int, help="measured requests of each kind (default 300, quick 100)")
    p.add_argument("--url", default="sqlite",
                   help="sqlite (a file under bench/results/db), postgresql, or a quizapp_bench* PostgreSQL URL")
    p.add_argument("--kinds", default=",".join(KINDS), help="comma-separated: " + ",".join(KINDS))
    p.add_argument("--top", type=int, default=0, help="also print the N functions with the most own time per kind")
    args = p.parse_args(argv)
    args.iterations = args.iterations or (100 if args.quick else 300)
    return args


def database(url: str) -> tuple[str, str]:
    """Return (kind, URL) of a fresh bench database."""
    if url == "sqlite":
        return "sqlite", fresh_database("sqlite", "quizapp_bench_cpu")
    if url == "postgresql":
        return "postgresql", fresh_database("postgresql", "quizapp_bench_cpu")
    name = url.rsplit("/", 1)[-1]
    if not url.startswith(PG_SERVER) or not name.startswith("quizapp_bench"):
        raise SystemExit("bench: --url must be sqlite, postgresql or a quizapp_bench* database on " + PG_SERVER)
    return "postgresql", fresh_database("postgresql", name)


def group_of(filename: str) -> str:
    """Return the group a function's file belongs to."""
    for name, markers in GROUPS:
        if any(m in filename for m in markers):
            return name
    return "other (stdlib, C)"


def shares(profile: cProfile.Profile) -> dict[str, float]:
    """Return each group's share of the profiled own time."""
    stats = pstats.Stats(profile).stats  # {(file, line, name): (cc, nc, tottime, cumtime, callers)}
    totals: dict[str, float] = {}
    for (filename, _, funcname), (_, _, tottime, _, _) in stats.items():
        key = filename if filename != "~" else funcname  # C functions: "<built-in method ...>"
        totals[group_of(key)] = totals.get(group_of(key), 0.0) + tottime
    whole = sum(totals.values()) or 1.0
    return {g: totals.get(g, 0.0) / whole for g, _ in [*GROUPS, ("other (stdlib, C)", ())]}


def top_functions(profile: cProfile.Profile, n: int) -> list[str]:
    """Return the n functions with the most own time."""
    stats = pstats.Stats(profile).stats
    ranked = sorted(stats.items(), key=lambda kv: kv[1][2], reverse=True)[:n]
    return [f"{tt * 1000:9.1f} ms  {f.split('site-packages/')[-1]}:{line} {fn}" for (f, line, fn), (_, _, tt, _, _)
            in ranked]


class Requests:
    """The request makers of each kind: one call is one request through the test client, checked for its status."""

    def __init__(self, app, kind: str, learners, attempts, answers: Answers, fresh) -> None:
        """Prepare the round-robin of requests of `kind` (slots interleaved across learners)."""
        self.client = app.test_client()
        self.client.environ_base.update({"REMOTE_ADDR": "127.0.0.1", "HTTP_USER_AGENT": USER_AGENT})
        self.kind = kind
        pairs = [(learner, pid, layout, n) for n in range(1, len(attempts[0][1]) + 1)
                 for learner, (pid, layout) in zip(learners, attempts, strict=True)]
        self.cycle = itertools.cycle(pairs)
        self.answers = answers
        self.fresh = fresh  # new signed-in learners for starts (a second start would only resume)

    def __call__(self) -> None:
        """Send one request and check its status."""
        if self.kind in ("start", "first"):
            learner = next(self.fresh)
            started = self._send(learner, "POST", f"/quizzes/{QUIZ}/start", {**INTAKE, "csrf_token": learner.csrf}, 303)
            if self.kind == "first":  # a new attempt's first view: its shuffled order misses the question-HTML cache
                self._send(learner, "GET", started.headers["Location"], None, 200)
            return
        learner, pid, layout, n = next(self.cycle)
        url = f"/attempts/{pid}/questions/{n}"
        if self.kind == "page":
            self._send(learner, "GET", url, None, 200)
            return
        form = self.answers.form(layout[n - 1], correct=n % 3 != 0)
        if self.kind == "save":
            self._send(learner, "POST", url, {**form, "go": "next", "csrf_token": learner.csrf}, 303)
        else:
            self._send(learner, "POST", url + "/autosave", {**form, "csrf_token": learner.csrf}, 200)

    def _send(self, learner, method: str, url: str, data: dict | None, status: int):
        """Send one request with the learner's session cookie; return the response."""
        self.client.set_cookie("session", learner.cookie)
        body = urlencode(data, doseq=True) if data is not None else None
        response = self.client.open(url, method=method, data=body,
                                    content_type="application/x-www-form-urlencoded" if body else None)
        if response.status_code != status:
            raise SystemExit(f"bench: {method} {url} answered {response.status_code}, not {status}")
        return response


def baseline_call():
    """Return a request maker for the bare Flask page of the question page's size."""
    import baseline_app

    client = baseline_app.app.test_client()

    def call() -> None:
        """Fetch the static page."""
        client.get("/")

    return call


def measure(call, n: int) -> tuple[float, float]:
    """Return this process's CPU ms and the wall ms per call over n calls (after n // 5 warm-up calls)."""
    for _ in range(max(5, n // 5)):
        call()
    began, wall = time.process_time(), time.perf_counter()
    for _ in range(n):
        call()
    return (time.process_time() - began) * 1000 / n, (time.perf_counter() - wall) * 1000 / n


def profiled(call, n: int) -> cProfile.Profile:
    """Return the cProfile (CPU time, not waits such as a commit's fsync) of n more calls."""
    profile = cProfile.Profile(time.process_time)
    profile.enable()
    for _ in range(n):
        call()
    profile.disable()
    return profile


def main(argv: list[str] | None = None) -> dict:
    """Measure each kind, print the table and the group shares; write bench/results/cpu_profile-<db>.json."""
    args = parse(argv)
    kinds = [k for k in args.kinds.split(",") if k]
    db_kind, url = database(args.url)
    app = prepare(url)
    n_learners = 50
    learners = sign_in(app, add_learners(app, n_learners, "cpu"))
    attempts = start_attempts(app, learners)
    answers = Answers(app)
    starters = sign_in(app, add_learners(app, 6 * args.iterations + 100, "cpu-start"))
    fresh = iter(starters)
    rows, profiles = [], {}
    base_ms, base_wall = measure(baseline_call(), args.iterations)
    for kind in kinds:
        call = baseline_call() if kind == "baseline" else Requests(app, kind, learners, attempts, answers, fresh)
        ms, wall = (base_ms, base_wall) if kind == "baseline" else measure(call, args.iterations)
        profile = profiled(call, args.iterations)
        profiles[kind] = profile
        row = {"database": db_kind, "request": kind, "iterations": args.iterations, "cpu_ms": round(ms, 3),
               "ratio": round(base_ms / ms, 3), "wall_ms": round(wall, 3)}
        row.update({g: f"{s:.0%}" for g, s in shares(profile).items()})
        rows.append(row)
    groups = [*[g for g, _ in GROUPS], "other (stdlib, C)"]
    columns = ["database", "request", "iterations", "cpu_ms", "ratio", "wall_ms", *groups]
    text = table(rows, columns)
    print(text)
    if args.top:
        for kind, profile in profiles.items():
            print(f"\n{kind}: top functions by own time over {args.iterations} profiled requests")
            print("\n".join(top_functions(profile, args.top)))
    result = {"rows": rows, "markdown": text, "passed": True}
    write_result(f"cpu_profile-{db_kind}", result)
    return result


if __name__ == "__main__":
    main()
