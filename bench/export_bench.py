"""Issue 8 item 3: the attempts CSV export through the service, against the database's own CSV of the same SELECT.

On the seeded data set (bench/dataset.py: 1,000,000 attempts, 100,000 of them at bls-readiness) each database
exports 100,000 rows (`--quiz bls-readiness`) and 1,000,000 rows (every finished attempt):
- the service: `flask export attempts --format csv -o FILE` in a child process (the admin download's service,
  COUNT + topic columns + rows streamed); wall time and the child's peak resident memory (`wait4` ru_maxrss);
- the reference: the same SELECT (compiled by SQLAlchemy from `queries.attempts_query`, literal values)
  written by PostgreSQL's `COPY (...) TO STDOUT WITH CSV` through psql, or by the sqlite3 shell in CSV mode.
Both write to a file on the same disk; each runs REPEATS times after one unmeasured warm-up, the median counts.
Targets: service / reference at most 3; peak memory at 1,000,000 rows within 10% of that at 100,000.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import dataset
from common import RESULTS, ROOT, fail, table, write_result

TIME_TARGET = 3.0
MEMORY_TARGET = 1.10
GNU_TIME = "/usr/bin/time"
COLUMNS = ["database", "rows", "service_s", "reference_s", "ratio", "service_peak_mb", "reference_peak_mb",
           "service_mb_per_row_growth"]


def parse(argv: list[str] | None) -> argparse.Namespace:
    """Read the command line."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="the quick data set (2,000 / 20,000 rows), one repeat")
    p.add_argument("--databases", default="sqlite,postgresql", help="comma-separated: sqlite,postgresql")
    p.add_argument("--repeats", type=int, help="measured runs of each export (default 3, quick 1)")
    args = p.parse_args(argv)
    args.size = "quick" if args.quick else "full"
    args.repeats = args.repeats or (1 if args.quick else 3)
    return args


def run(cmd: list[str], env: dict | None = None, stdout: Path | None = None) -> tuple[float, float]:
    """Run a command to completion; return its wall seconds and peak resident memory in MB (stop on failure)."""
    work = RESULTS / "export-tmp"
    errors, peak = work / "stderr.txt", work / "peak.txt"
    with errors.open("wb") as err, (stdout.open("wb") if stdout else open(os.devnull, "wb")) as out:
        began = time.perf_counter()
        # GNU time measures the peak: a child forked straight from this (large) process would count this
        # process's memory in its own peak, because Linux keeps the pre-exec high-water mark in ru_maxrss.
        code = subprocess.call([GNU_TIME, "-f", "%M", "-o", str(peak), *cmd], cwd=ROOT, env=env,
                               stdout=out, stderr=err)
        wall = time.perf_counter() - began
    if code:
        fail(f"{' '.join(cmd[:8])}... failed: {errors.read_text()[-2000:]}")
    return wall, int(peak.read_text().split()[-1]) / 1024


def select_sql(url: str, quiz: str | None) -> str:
    """Return the attempts export's main SELECT for these filters, compiled for the database with literal values."""
    from common import make_app

    from quizapp.exports import datasets, queries
    from quizapp.extensions import db

    app = make_app(url)
    with app.app_context():
        where = datasets.conditions(datasets.Filters(quiz=quiz))
        stmt = queries.attempts_query(where, queries.topic_names(where))
        sql = str(stmt.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True}))
        db.engine.dispose()
    return " ".join(sql.split())


def service_cmd(url: str, quiz: str | None, out: Path) -> tuple[list[str], dict]:
    """Return the `flask export` command and environment for one export."""
    env = {**os.environ, "DATABASE_URL": url, "QUIZAPP_ENV": "development"}
    cmd = [sys.executable, "-m", "flask", "--app", "wsgi", "export", "attempts", "--format", "csv", "-o", str(out)]
    return cmd + (["--quiz", quiz] if quiz else []), env


def reference_cmd(kind: str, url: str, sql: str) -> list[str]:
    """Return the database's own CSV writer running the same SELECT to standard output."""
    if kind == "sqlite":
        return ["sqlite3", "-csv", url.removeprefix("sqlite:///"), sql]
    return ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", url, "-c", f"COPY ({sql}) TO STDOUT WITH CSV"]


def lines(path: Path) -> int:
    """Count the lines of a file (the exports hold no line breaks inside fields)."""
    with path.open("rb") as handle:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))


def measure(kind: str, url: str, quiz: str | None, repeats: int) -> dict:
    """Time the service and the reference on one export, interleaved; check both wrote every row."""
    work = RESULTS / "export-tmp"
    work.mkdir(parents=True, exist_ok=True)
    ours, theirs = work / f"{kind}-service.csv", work / f"{kind}-reference.csv"
    cmd, env = service_cmd(url, quiz, ours)
    ref = reference_cmd(kind, url, select_sql(url, quiz))
    service, reference = [], []
    for i in range(repeats + 1):
        s, r = run(cmd, env), run(ref, stdout=theirs)
        if i:  # the first round warms the database's cache and the OS's; it is not counted
            service.append(s)
            reference.append(r)
    rows, ref_rows = lines(ours) - 1, lines(theirs)  # the service writes a header row
    if rows != ref_rows:
        fail(f"{kind}: the service wrote {rows} rows, the reference {ref_rows}")
    ours.unlink()
    theirs.unlink()
    s_wall, r_wall = statistics.median(x[0] for x in service), statistics.median(x[0] for x in reference)
    return {
        "database": kind,
        "rows": rows,
        "service_s": round(s_wall, 2),
        "reference_s": round(r_wall, 2),
        "ratio": round(s_wall / r_wall, 2),
        "service_peak_mb": round(max(x[1] for x in service), 1),
        "reference_peak_mb": round(max(x[1] for x in reference), 1),
        "service_runs_s": [round(x[0], 2) for x in service],
        "reference_runs_s": [round(x[0], 2) for x in reference],
    }


def startup(url: str) -> dict:
    """Measure the export command with no rows (a future start date): process start-up time and memory."""
    cmd, env = service_cmd(url, None, RESULTS / "export-tmp" / "empty.csv")
    runs = [run([*cmd, "--since", "2999-01-01"], env) for _ in range(3)]
    return {"startup_s": round(statistics.median(r[0] for r in runs), 2), "startup_peak_mb": round(runs[-1][1], 1)}


def main(argv: list[str] | None = None) -> dict:
    """Run the export benchmark and print its table."""
    args = parse(argv)
    if not os.access(GNU_TIME, os.X_OK):
        fail(f"GNU time is needed for peak memory ({GNU_TIME}; apt-get install time)")
    kinds = args.databases.split(",")
    stamps = dataset.ensure(kinds, args.size)
    rows, verdicts = [], {}
    for kind in kinds:
        url = stamps[kind]["url"]
        (RESULTS / "export-tmp").mkdir(parents=True, exist_ok=True)
        base = startup(url)
        small = measure(kind, url, dataset.REPORT_QUIZ, args.repeats)
        large = measure(kind, url, None, args.repeats)
        growth = large["service_peak_mb"] / small["service_peak_mb"]
        for r in (small, large):
            r["service_mb_per_row_growth"] = round(growth, 3) if r is large else None
            rows.append({**r, **base})
        verdicts[kind] = {
            "rows": [small["rows"], large["rows"]],
            "ratio_1m": large["ratio"],
            "ratio_met": large["ratio"] <= TIME_TARGET and small["ratio"] <= TIME_TARGET,
            "memory_growth": round(growth, 3),
            "memory_met": growth <= MEMORY_TARGET,
        }
        print(table(rows[-2:], COLUMNS), flush=True)
    words = [
        f"{kind}: service/reference {v['ratio_1m']} at {v['rows'][1]:,} rows (target <= {TIME_TARGET}: "
        f"{'met' if v['ratio_met'] else 'NOT met'}); peak memory x{v['memory_growth']} from {v['rows'][0]:,} to "
        f"{v['rows'][1]:,} rows "
        f"(target <= {MEMORY_TARGET}: {'met' if v['memory_met'] else 'NOT met'})"
        for kind, v in verdicts.items()
    ]
    markdown = table(rows, [*COLUMNS, "startup_s", "startup_peak_mb"])
    result = {"size": args.size, "datasets": stamps, "rows": rows, "checks": verdicts, "verdicts": words,
              "markdown": markdown, "targets": {"ratio_max": TIME_TARGET, "memory_growth_max": MEMORY_TARGET}}
    path = write_result("export_bench", result)
    print(markdown, *words, f"wrote {path}", sep="\n")
    return result


if __name__ == "__main__":
    main()
