"""The large seeded data set behind the export and report benchmarks, made with `flask demo seed` and kept for reuse.

One database per kind (`quizapp_bench_data` on PostgreSQL, bench/results/db/quizapp_bench_data.sqlite):
- `bls-readiness` (30 questions): REPORT_ATTEMPTS finished attempts by as many learners (issue 8 item 4);
- the four other shipped quizzes: the rest of TOTAL_ATTEMPTS, so the whole table holds 1,000,000 (item 3).
Seeding takes tens of minutes, so a seeded database is reused while its stamp file (bench/results/db/<name>.json)
matches: the same sizes and the same source of the seeding code and the question banks. `--reseed` starts over.

    .venv/bin/python bench/dataset.py [--databases sqlite,postgresql] [--reseed] [--quick]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from common import PG_SERVER, RESULTS, ROOT, fail, fresh_database, need_postgres

NAME = "quizapp_bench_data"
REPORT_QUIZ = "bls-readiness"
OTHER_QUIZZES = ("airway-practice", "bvm-practice", "lay-rescuer-essentials", "team-cpr-practice")
SIZES = {"full": (100_000, 1_000_000), "quick": (2_000, 20_000)}  # (report quiz attempts, all attempts)
SOURCES = ("quizapp/demo/seeding.py", "quizapp/demo/cohort.py", "quizapp/taking/scoring.py",
           "quizapp/taking/drawing/draw.py", "quizapp/taking/grading.py", "questions")


def source_digest() -> str:
    """Return a digest of the code and banks that decide what the seed inserts."""
    digest = hashlib.sha256()
    for name in SOURCES:
        path = ROOT / name
        for file in sorted(path.rglob("*")) if path.is_dir() else [path]:
            if file.is_file():
                digest.update(file.relative_to(ROOT).as_posix().encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


def url_for(kind: str, size: str) -> str:
    """Return the database URL of one kind's data set."""
    name = f"{NAME}_{size}" if size != "full" else NAME
    if kind == "sqlite":
        return f"sqlite:///{RESULTS / 'db' / f'{name}.sqlite'}"
    return f"{PG_SERVER}/{name}"


def stamp_path(kind: str, size: str) -> Path:
    """Return the stamp file that records how a data set was seeded."""
    return RESULTS / "db" / f"{NAME}_{size}-{kind}.json"


def wanted(size: str) -> dict:
    """Return what a data set of this size must hold and be seeded from."""
    report, total = SIZES[size]
    return {"report_quiz": REPORT_QUIZ, "report_attempts": report, "attempts": total, "source": source_digest()}


def flask(url: str, *args: str) -> float:
    """Run a `flask --app wsgi` command against `url`; return its wall seconds (stop on failure)."""
    env = {**os.environ, "DATABASE_URL": url, "QUIZAPP_ENV": "development"}
    began = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    if done.returncode:
        fail(f"flask {' '.join(args)} failed on {url}:\n{done.stderr[-2000:]}")
    return time.perf_counter() - began


def seed(kind: str, size: str) -> dict:
    """Create the database, import the banks and seed both parts with `flask demo seed`; return the stamp."""
    name = NAME if size == "full" else f"{NAME}_{size}"
    url = fresh_database(kind, name)
    want = wanted(size)
    others = want["attempts"] - want["report_attempts"]
    steps = {
        "migrate": flask(url, "db", "upgrade"),
        "import banks": flask(url, "banks", "import", str(ROOT / "questions")),
        f"demo seed {REPORT_QUIZ}": flask(url, "demo", "seed", "--quiz", REPORT_QUIZ, "--seed", "1",
                                          "--learners", str(want["report_attempts"]),
                                          "--attempts", str(want["report_attempts"])),
        "demo seed others": flask(url, "demo", "seed", *(a for q in OTHER_QUIZZES for a in ("--quiz", q)),
                                  "--seed", "2", "--learners", str(max(1, others // 10)), "--attempts", str(others)),
    }
    if kind == "postgresql":  # as autovacuum would soon: visibility map and planner statistics for the new rows
        steps["vacuum analyze"] = vacuum(name)
    stamp = {**want, "url": url, "seconds": {k: round(v, 1) for k, v in steps.items()},
             "seeded": time.strftime("%Y-%m-%d %H:%M:%S")}
    stamp_path(kind, size).write_text(json.dumps(stamp, indent=2))
    return stamp


def vacuum(name: str) -> float:
    """Run VACUUM ANALYZE on a PostgreSQL data set; return its wall seconds."""
    import psycopg

    began = time.perf_counter()
    with psycopg.connect(f"{PG_SERVER}/{name}", autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return time.perf_counter() - began


def ready(kind: str, size: str) -> dict | None:
    """Return the stamp of a reusable data set, or None when it must be (re)seeded."""
    path = stamp_path(kind, size)
    if not path.exists():
        return None
    stamp = json.loads(path.read_text())
    if any(stamp.get(k) != v for k, v in wanted(size).items()):
        return None
    return stamp if count_attempts(stamp["url"]) == stamp["attempts"] else None


def count_attempts(url: str) -> int | None:
    """Return how many attempts the database holds, or None when it cannot be read."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import SQLAlchemyError

    from quizapp.config import normalise_database_url

    engine = create_engine(normalise_database_url(url))
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM attempt")).scalar()
    except SQLAlchemyError:
        return None
    finally:
        engine.dispose()


def ensure(kinds: list[str], size: str = "full", reseed: bool = False) -> dict[str, dict]:
    """Return each kind's stamp, seeding (in parallel, one process per kind) the ones not ready."""
    if "postgresql" in kinds:
        need_postgres()
    stamps = {}
    for kind in kinds:
        found = None if reseed else ready(kind, size)
        if found:
            flask(found["url"], "db", "upgrade")  # a reused data set gets any newer migration (they keep the data)
        stamps[kind] = found and {**found, "reused": True}
    todo = [k for k, s in stamps.items() if s is None]
    for kind in todo:
        print(f"seeding the {size} data set on {kind} (tens of minutes at full size)...", flush=True)
    with ThreadPoolExecutor(max_workers=max(1, len(todo))) as pool:
        for kind, stamp in zip(todo, pool.map(lambda k: seed(k, size), todo), strict=True):
            stamps[kind] = {**stamp, "reused": False}
    return stamps


def main(argv: list[str] | None = None) -> None:
    """Seed (or check) the data sets from the command line."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--databases", default="sqlite,postgresql", help="comma-separated: sqlite,postgresql")
    p.add_argument("--reseed", action="store_true", help="seed again even when a matching data set exists")
    p.add_argument("--quick", action="store_true", help="a small data set (2,000 + 18,000 attempts)")
    args = p.parse_args(argv)
    stamps = ensure(args.databases.split(","), "quick" if args.quick else "full", args.reseed)
    print(json.dumps(stamps, indent=2))


if __name__ == "__main__":
    main()
