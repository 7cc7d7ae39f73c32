"""Run every benchmark (HTTP, synchronised start, faults, import, export, reports, jobs); write one summary."""

from __future__ import annotations

import argparse
import json
import subprocess
import time
import traceback

import export_bench
import http_bench
import import_bench
import jobs_bench
import load_faults
import report_bench
import sync_start
from common import PG_SERVER, RESULTS, machine

STEPS = [
    ("1. HTTP: question page, answer save, whole attempt vs baseline", http_bench),
    ("2. 1,000 learners start within 5 s", sync_start),
    ("3. Load with a killed worker", load_faults),
    ("4. Bank validation and import", import_bench),
    ("5. Attempts CSV export of 1,000,000 rows vs the database's own CSV", export_bench),
    ("6. Item statistics at 100,000 attempts x 30 questions, cold and warm", report_bench),
    ("7. The benchmark-sized export and bank import as jobs on a real worker, vs their direct forms", jobs_bench),
]


def shell(cmd: list[str]) -> str:
    """Return a command's output, or why it failed."""
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=30, check=False).stdout.strip()
    except OSError as exc:
        return f"unavailable: {exc}"


def describe() -> dict:
    """Record the machine: cores, memory, CPU, Python, PostgreSQL, load."""
    return {
        **machine(),
        "free -h": shell(["free", "-h"]),
        "uptime": shell(["uptime"]),
        "postgresql": shell(["psql", f"{PG_SERVER}/postgres", "-Atc", "select version()"]),
        "gunicorn": shell([str(RESULTS.parent.parent / ".venv/bin/gunicorn"), "--version"]),
        "wrk": shell(["wrk", "--version"]).splitlines()[0] if shell(["which", "wrk"]) else "missing",
    }


def markdown(before: dict, after: dict, sections: list[tuple[str, dict | str]], quick: bool, seconds: float) -> str:
    """Return the summary: machine, load before and after, every table and verdict."""
    out = [
        f"# Benchmark run {before['time']}{' (--quick)' if quick else ''}",
        "",
        f"- machine: {before['nproc']} cores, {before['cpu']}; Python {before['python']}; {before['postgresql']}",
        f"- memory:\n```\n{before['free -h']}\n```",
        f"- {before['gunicorn']}; {before['wrk']}",
        f"- load before: `{before['uptime']}`",
        f"- load after: `{after['uptime']}`",
        f"- total time: {seconds:.0f} s",
    ]
    for title, result in sections:
        out += ["", f"## {title}", ""]
        if isinstance(result, str):
            out.append(f"FAILED:\n```\n{result}\n```")
            continue
        out.append(result["markdown"])
        verdicts = result.get("verdicts") or [("all checks passed" if result.get("passed") else "SOME CHECKS FAILED")]
        out += ["", *[f"- {v}" for v in verdicts]]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> None:
    """Run the benchmarks in turn; write bench/results/summary.{json,md}."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--quick", action="store_true", help="small sizes: a smoke run of a few minutes")
    args = p.parse_args(argv)
    began, before = time.perf_counter(), describe()
    sections: list[tuple[str, dict | str]] = []
    for title, module in STEPS:
        print(f"\n=== {title}", flush=True)
        try:
            sections.append((title, module.main(["--quick"] if args.quick else [])))
        except (Exception, SystemExit) as exc:  # one failing benchmark must not hide the others' figures
            sections.append((title, "".join(traceback.format_exception_only(exc)).strip()))
            print(f"FAILED: {exc}", flush=True)
    after = describe()
    text = markdown(before, after, sections, args.quick, time.perf_counter() - began)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "summary.md").write_text(text)
    summary = {"before": before, "after": after, "quick": args.quick,
               "sections": {t: r if isinstance(r, str) else r.get("verdicts", r.get("passed")) for t, r in sections}}
    (RESULTS / "summary.json").write_text(json.dumps(summary, indent=2, default=str))
    print("\n" + text)
    print(f"wrote {RESULTS / 'summary.md'} and {RESULTS / 'summary.json'}")


if __name__ == "__main__":
    main()
