"""Trees and gunicorn settings compared by interleaved rounds: the only fair comparison on a machine whose speed drifts.

Each configuration is `REV@WORKERS` (a git revision, exported with `git archive`, or `.` for the working tree;
the number of sync workers), optionally `:NAME=VALUE` settings for that server (`.@4:DATABASE_PING_IDLE_SECONDS=0`).
Every server is up at once on one database, and each round runs the bare baseline, then every configuration's
question page and autosave, so a slow minute of the machine slows them all alike. Reports per configuration the
median requests/s, its ratio to the round's baseline, the server CPU per request, p99, and every round's figure.

    .venv/bin/python bench/interleaved.py --configs HEAD~3@4,.@4,.@2 [--databases sqlite,postgresql] [--rounds 3]
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import subprocess
from pathlib import Path

import wrkload
from common import (
    RESULTS,
    ROOT,
    USER_AGENT,
    Answers,
    add_learners,
    fail,
    fresh_database,
    need_postgres,
    need_wrk,
    prepare,
    sign_in,
    start_attempts,
    table,
    write_result,
)
from http_bench import page_requests, save_requests
from server import gunicorn

COLUMNS = ["database", "config", "request", "rps", "ratio", "cpu_ms", "p99_ms", "rounds_rps"]


def parse(argv: list[str] | None) -> argparse.Namespace:
    """Read the command line."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--configs", required=True, help="comma-separated REV@WORKERS[:NAME=VALUE...]")
    p.add_argument("--databases", default="sqlite,postgresql", help="comma-separated: sqlite,postgresql")
    p.add_argument("--rounds", type=int, default=3, help="interleaved rounds (default 3)")
    p.add_argument("--seconds", type=float, default=6, help="wrk duration per request kind and round (default 6)")
    p.add_argument("--connections", type=int, default=50, help="concurrent clients (default 50)")
    return p.parse_args(argv)


def tree_of(rev: str) -> Path:
    """Return the folder holding revision `rev` (`.` is the working tree), exported once under bench/results/trees."""
    if rev == ".":
        return ROOT
    sha = subprocess.run(["git", "rev-parse", "--verify", f"{rev}^{{commit}}"], cwd=ROOT, capture_output=True,
                         text=True, check=False).stdout.strip()
    if not sha:
        fail(f"{rev!r} is not a revision of this repository")
    folder = RESULTS / "trees" / sha[:12]
    if not folder.exists():
        folder.mkdir(parents=True)
        archive = subprocess.run(["git", "archive", sha], cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    if _migrations(folder) != _migrations(ROOT):
        fail(f"{rev} has other migrations than the working tree: both must run on the one database")
    return folder


def _migrations(tree: Path) -> list[str]:
    """Return the names of a tree's migration files."""
    return sorted(p.name for p in (tree / "quizapp/migrations/versions").glob("*.py"))


def config_of(text: str) -> tuple[Path, int, dict]:
    """Return (tree, workers, settings) of `REV@WORKERS[:NAME=VALUE...]`."""
    rev, _, rest = text.rpartition("@")
    workers, *pairs = rest.split(":")
    if not rev or not workers.isdigit() or any("=" not in p for p in pairs):
        fail(f"a configuration is REV@WORKERS[:NAME=VALUE...], not {text!r}")
    return tree_of(rev), int(workers), dict(p.split("=", 1) for p in pairs)


def run(server, requests, seconds: float, connections: int) -> dict:
    """Run wrk once; return requests/s, server CPU ms per request and p99."""
    before = server.cpu_seconds()
    figures = wrkload.run(server.url, requests, connections=connections, seconds=seconds)
    if figures["ok_rps"] < figures["rps"]:
        fail(f"{server.url} answered errors: {figures['statuses']} {figures['socket_errors']}")
    return {"rps": figures["ok_rps"], "cpu_ms": (server.cpu_seconds() - before) * 1000 / max(1, figures["requests"]),
            "p99_ms": figures["p99_ms"]}


def bench_database(kind: str, configs: list[str], args) -> list[dict]:
    """Start every configuration's server on one fresh database and run the interleaved rounds."""
    url = fresh_database(kind, "quizapp_bench_interleaved")
    app = prepare(url)
    learners = sign_in(app, add_learners(app, 50, "interleaved"))
    attempts = start_attempts(app, learners)
    kinds = {"question page": page_requests(learners, attempts),
             "autosave": save_requests(learners, attempts, Answers(app))}
    static = [("GET", "/", {"User-Agent": USER_AGENT}, None)]
    seen: dict[tuple[str, str], list[dict]] = {}
    with contextlib.ExitStack() as stack:
        base = stack.enter_context(gunicorn("", 4, app_uri="baseline_app:app", probe="/", name="interleaved-base"))
        servers = {}
        for text in configs:
            tree, workers, settings = config_of(text)
            servers[text] = stack.enter_context(gunicorn(url, workers, tree=tree, settings=settings,
                                                         name=f"interleaved-{len(servers)}"))
        for server in [base, *servers.values()]:  # unmeasured warm-up of every worker
            for requests in ([static] if server is base else kinds.values()):
                wrkload.run(server.url, requests, connections=args.connections, seconds=2)
        for _ in range(args.rounds):
            seen.setdefault(("baseline", "bare page"), []).append(run(base, static, args.seconds, args.connections))
            for text, server in servers.items():
                for name, requests in kinds.items():
                    seen.setdefault((text, name), []).append(run(server, requests, args.seconds, args.connections))
    bases = [r["rps"] for r in seen[("baseline", "bare page")]]
    rows = []
    for (text, name), rounds in seen.items():
        rows.append({"database": kind, "config": text, "request": name,
                     "rps": round(statistics.median(r["rps"] for r in rounds)),
                     "ratio": round(statistics.median(r["rps"] / b for r, b in zip(rounds, bases, strict=True)), 3),
                     "cpu_ms": round(statistics.median(r["cpu_ms"] for r in rounds), 2),
                     "p99_ms": round(statistics.median(r["p99_ms"] for r in rounds), 1),
                     "rounds_rps": " ".join(str(round(r["rps"])) for r in rounds)})
    return rows


def main(argv: list[str] | None = None) -> dict:
    """Compare the configurations; print the table and write bench/results/interleaved.json."""
    args = parse(argv)
    need_wrk()
    databases = [d for d in args.databases.split(",") if d]
    if "postgresql" in databases:
        need_postgres()
    configs = [c for c in args.configs.split(",") if c]
    for text in configs:
        config_of(text)  # every configuration checked before any server starts
    rows = [row for kind in databases for row in bench_database(kind, configs, args)]
    result = {"settings": vars(args), "rows": rows, "markdown": table(rows, COLUMNS)}
    path = write_result("interleaved", result)
    print(result["markdown"])
    print(f"wrote {path}")
    return result


if __name__ == "__main__":
    main()
