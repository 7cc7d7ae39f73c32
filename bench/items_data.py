"""A 1,000,000-attempt PostgreSQL data set made fast: a small `flask demo seed`, then copied in SQL (INSERT ... SELECT).

`flask demo seed` draws, answers and scores every attempt through the app (tens of minutes for a million on an idle
machine). Here it seeds only SEED_REPORT attempts of the report quiz and SEED_OTHERS of the four others; each copy
k = 1..COPIES-1 then adds the same learners (new ids and e-mails), their attempts (new ids and public ids) and, for the
report quiz, their responses, in one statement per table. The report quiz ends with SEED_REPORT x COPIES attempts of
30 questions (responses included); the other quizzes' copied attempts have no responses (`--all-responses` copies
theirs too), since the items page and its recompute read only the report quiz's responses.

    .venv/bin/python bench/items_data.py [--copies 100] [--all-responses] [--reseed]
"""

from __future__ import annotations

import argparse
import json
import time

import dataset
from common import PG_SERVER, RESULTS, fail, fresh_database, need_postgres

NAME = "quizapp_bench_items"
SEED_REPORT, SEED_OTHERS = 1_000, 9_000
STRIDE = 100_000  # id offset between copies (the seed holds fewer rows than this per table)


def columns(conn, table: str) -> list[str]:
    """Return a table's column names in order."""
    rows = conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position", (table,)
    )
    return [r[0] for r in rows]


def copy_sql(conn, table: str, overrides: dict[str, str], where: str, skip: tuple[str, ...] = ()) -> str:
    """Return INSERT ... SELECT copying `table`'s rows (alias t) once per copy k, with some columns recomputed."""
    names = [c for c in columns(conn, table) if c not in skip]
    select = ", ".join(overrides.get(c, f't."{c}"') for c in names)
    quoted = ", ".join(f'"{c}"' for c in names)
    return (f'INSERT INTO "{table}" ({quoted}) SELECT {select} FROM "{table}" t '  # noqa: S608 - names from the schema
            f"CROSS JOIN generate_series(1, %(copies)s - 1) AS k WHERE {where}")


def multiply(url: str, copies: int, all_responses: bool) -> dict[str, float]:
    """Copy the seeded learners, attempts and responses `copies - 1` times; return seconds per step."""
    import psycopg

    steps: dict[str, float] = {}
    with psycopg.connect(url, autocommit=True) as conn:
        quiz = conn.execute("SELECT id FROM quiz WHERE slug = %s", (dataset.REPORT_QUIZ,)).fetchone()[0]
        seeded = conn.execute("SELECT max(id) FROM attempt").fetchone()[0]
        if max(seeded, conn.execute('SELECT max(id) FROM "user"').fetchone()[0]) >= STRIDE:
            fail("the seed is larger than the id stride")
        learners = "t.id IN (SELECT user_id FROM attempt)"
        user = copy_sql(conn, "user", {"id": f"t.id + k * {STRIDE}", "email": "'c' || k || '.' || t.email"}, learners)
        attempt = copy_sql(conn, "attempt", {
            "id": f"t.id + k * {STRIDE}", "user_id": f"t.user_id + k * {STRIDE}",
            "public_id": "substr(md5(t.public_id || '.' || k), 1, 32)",
        }, "true")
        answered = f"t.attempt_id IN (SELECT id FROM attempt WHERE quiz_id = {int(quiz)})"  # noqa: S608 - an int
        answered = "true" if all_responses else answered
        response = copy_sql(conn, "response", {"attempt_id": f"t.attempt_id + k * {STRIDE}"}, answered, skip=("id",))
        with conn.transaction():  # all copies or none, so a failed run can be repeated with --copy-only
            for name, sql in (("learners", user), ("attempts", attempt), ("responses", response)):
                began = time.perf_counter()
                conn.execute(sql, {"copies": copies})
                steps[f"copy {name}"] = round(time.perf_counter() - began, 1)
        for table in ("user", "attempt"):  # fixed names
            serial = f"pg_get_serial_sequence('\"{table}\"', 'id')"
            conn.execute(f'SELECT setval({serial}, (SELECT max(id) FROM "{table}"))')  # noqa: S608
        began = time.perf_counter()
        conn.execute("VACUUM ANALYZE")
        steps["vacuum analyze"] = round(time.perf_counter() - began, 1)
    return steps


def build(copies: int, all_responses: bool, name: str = NAME) -> dict:
    """Create the database, seed it through the app, multiply it in SQL; return and write its stamp."""
    url = fresh_database("postgresql", name)
    others = [a for q in dataset.OTHER_QUIZZES for a in ("--quiz", q)]
    steps = {
        "migrate": dataset.flask(url, "db", "upgrade"),
        "import banks": dataset.flask(url, "banks", "import", str(dataset.ROOT / "questions")),
        "seed report quiz": dataset.flask(url, "demo", "seed", "--quiz", dataset.REPORT_QUIZ, "--seed", "1",
                                          "--learners", str(SEED_REPORT), "--attempts", str(SEED_REPORT)),
        "seed others": dataset.flask(url, "demo", "seed", *others, "--seed", "2", "--learners",
                                     str(SEED_OTHERS // 10), "--attempts", str(SEED_OTHERS)),
    }
    steps = {k: round(v, 1) for k, v in steps.items()} | multiply(url, copies, all_responses)
    stamp = {"url": url, "copies": copies, "all_responses": all_responses, "seconds": steps,
             "attempts": dataset.count_attempts(url), "built": time.strftime("%Y-%m-%d %H:%M:%S")}
    stamp_path(name).write_text(json.dumps(stamp, indent=2))
    return stamp


def stamp_path(name: str = NAME):
    """Return the stamp file of the data set."""
    path = RESULTS / "db" / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def ensure(copies: int = 100, all_responses: bool = False, reseed: bool = False, name: str = NAME) -> dict:
    """Return the stamp of a data set of this size in database `name`, building it when missing or different."""
    need_postgres()
    path = stamp_path(name)
    if path.exists() and not reseed:
        stamp = json.loads(path.read_text())
        same = stamp.get("copies") == copies and stamp.get("all_responses") == all_responses
        if same and dataset.count_attempts(stamp["url"]) == stamp["attempts"]:
            dataset.flask(stamp["url"], "db", "upgrade")
            return {**stamp, "reused": True}
    return build(copies, all_responses, name)


def main(argv: list[str] | None = None) -> None:
    """Build (or check) the data set from the command line."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--copies", type=int, default=100, help="copies of the seed (100: 1,000,000 attempts)")
    p.add_argument("--all-responses", action="store_true", help="copy every quiz's responses, not only the report's")
    p.add_argument("--reseed", action="store_true", help="build again even when a matching data set exists")
    p.add_argument("--copy-only", action="store_true", help="only copy the rows of an already seeded database")
    args = p.parse_args(argv)
    if args.copy_only:
        print(json.dumps(multiply(f"{PG_SERVER}/{NAME}", args.copies, args.all_responses), indent=2))
        return
    print(json.dumps(ensure(args.copies, args.all_responses, args.reseed), indent=2))


if __name__ == "__main__":
    main()
