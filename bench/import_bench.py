"""Issue 8 item 5: validating and importing a 10,000-question bank, against PyYAML's C loader on the same files."""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import time

import yaml
from bankgen import write_banks
from common import RESULTS, fresh_database, need_postgres, prepare, table, write_result

VALIDATE_TARGET = 5.0
COLUMNS = ["step", "database", "seconds", "cpu_s", "ratio", "wall_ratio", "per_question_ms"]


def parse(argv: list[str] | None) -> argparse.Namespace:
    """Read the command line."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--quick", action="store_true", help="500 questions, one repeat")
    p.add_argument("--questions", type=int, help="questions in the generated bank (default 10000, quick 500)")
    p.add_argument("--repeats", type=int, help="repeats of parse and validate; the median counts (default 3)")
    p.add_argument("--databases", default="sqlite,postgresql", help="comma-separated: sqlite,postgresql")
    p.add_argument("--profile", action="store_true", help="profile validation and import even if targets are met")
    args = p.parse_args(argv)
    args.questions = args.questions or (500 if args.quick else 10000)
    args.repeats = args.repeats or (1 if args.quick else 3)
    return args


def timed(fn) -> tuple[float, float]:
    """Return the wall seconds and this process's CPU seconds that `fn()` took."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def median_of(fn, repeats: int) -> tuple[float, float]:
    """Run `fn` once to warm up, then `repeats` times; return the median wall and CPU seconds."""
    fn()
    runs = [timed(fn) for _ in range(repeats)]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def c_parse(paths) -> None:
    """The reference: PyYAML's C loader on the same texts (read from disk first, as the loader does)."""
    for text in [p.read_text(encoding="utf-8") for p in paths]:
        yaml.load(text, Loader=yaml.CSafeLoader)


def validate(paths):
    """The app's validation: read, parse, pydantic-validate and cross-check every file."""
    from quizapp.banks import sync

    return sync.load(paths)


def import_into(kind: str, paths, profile: bool) -> tuple[tuple[float, float], str | None]:
    """Import the validated files into a fresh, migrated database; return wall and CPU seconds (and a profile)."""
    from quizapp.banks import sync
    from quizapp.extensions import db

    app = prepare(fresh_database(kind, f"quizapp_bench_import_{kind}"), banks=())
    with app.app_context():
        files = sync.load(paths)
        profiler = cProfile.Profile() if profile else None

        def run():
            sync.import_files(files)
            db.session.commit()

        if profiler:
            profiler.enable()
        seconds = timed(run)
        if profiler:
            profiler.disable()
        db.engine.dispose()
    return seconds, summarise(profiler) if profiler else None


def profile_text(fn) -> str:
    """Profile `fn()` and return the summary."""
    profiler = cProfile.Profile()
    profiler.runcall(fn)
    return summarise(profiler)


def summarise(profiler: cProfile.Profile, lines: int = 25) -> str:
    """Return the top functions by own time and by cumulative time."""
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("tottime").print_stats(lines)
    stats.sort_stats("cumulative").print_stats(lines)
    return out.getvalue()


def main(argv: list[str] | None = None) -> dict:
    """Generate the bank, time parse / validate / import, profile what misses; write bench/results/import_bench.json."""
    args = parse(argv)
    kinds = [k.strip() for k in args.databases.split(",") if k.strip()]
    if "postgresql" in kinds:
        need_postgres()
    paths = write_banks(RESULTS / "banks", args.questions)
    size = sum(p.stat().st_size for p in paths)
    parse_wall, parse_cpu = median_of(lambda: c_parse(paths), args.repeats)
    validate_wall, validate_cpu = median_of(lambda: validate(paths), args.repeats)
    n = args.questions
    # `ratio` compares this process's CPU time (robust when other work shares the machine; for PostgreSQL it leaves
    # out the server's own CPU), `wall_ratio` the elapsed time.
    rows = [
        {"step": "PyYAML CSafeLoader parse (reference)", "seconds": parse_wall, "cpu_s": parse_cpu, "ratio": 1.0},
        {"step": "validate (sync.load)", "seconds": validate_wall, "cpu_s": validate_cpu,
         "ratio": validate_cpu / parse_cpu, "wall_ratio": validate_wall / parse_wall},
    ]
    profiles = {}
    if args.profile or validate_cpu / parse_cpu > VALIDATE_TARGET:
        profiles["validate"] = profile_text(lambda: validate(paths))
    for kind in kinds:
        (wall, cpu), _ = import_into(kind, paths, profile=False)
        rows.append({"step": "import (import_files + commit)", "database": kind, "seconds": wall, "cpu_s": cpu,
                     "ratio": cpu / parse_cpu, "wall_ratio": wall / parse_wall})
        if args.profile or cpu / parse_cpu > VALIDATE_TARGET:
            profiles[f"import {kind}"] = import_into(kind, paths, profile=True)[1]
    for r in rows:
        r["per_question_ms"] = round(r["seconds"] / n * 1000, 3)
        for k in ("seconds", "cpu_s", "ratio", "wall_ratio"):
            if k in r:
                r[k] = round(r[k], 2)
    ratio = rows[1]["ratio"]
    met = "met" if ratio <= VALIDATE_TARGET else "MISSED"
    verdicts = [f"validation ratio {ratio} CPU, {rows[1]['wall_ratio']} wall (target <= {VALIDATE_TARGET:g}): {met}"]
    verdicts += [f"import ratio on {r['database']}: {r['ratio']} CPU, {r['wall_ratio']} wall (reported; no target)"
                 for r in rows[2:]]
    result = {"settings": vars(args), "files": [str(p) for p in paths], "bytes": size, "questions": n,
              "rows": rows, "verdicts": verdicts, "profiles": profiles, "markdown": table(rows, COLUMNS)}
    path = write_result("import_bench", result)
    (RESULTS / "import_profiles.txt").write_text("\n\n".join(f"== {k}\n{v}" for k, v in profiles.items()))
    print(f"{n} questions in {len(paths)} files, {size / 1e6:.1f} MB")
    print(result["markdown"])
    print("\n".join(verdicts))
    print(f"wrote {path}" + (f" and {RESULTS / 'import_profiles.txt'}" if profiles else ""))
    return result


if __name__ == "__main__":
    main()
