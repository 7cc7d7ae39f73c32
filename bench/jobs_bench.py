"""Issue 19: the benchmark-sized export and bank import run as jobs on a real worker, against their direct forms.

On PostgreSQL, with gunicorn (the production settings, 2 workers) and one real Celery worker (solo pool) on Redis:
- exports, on the SQL-multiplied data set of bench/items_data.py (1,000,000 attempts, 100,000 of bls-readiness):
  an admin asks the exports page (its POST, as the browser sends it) for every finished attempt as CSV and for the
  report quiz's attempts as XLSX; both are jobs (above EXPORT_INLINE_ROWS; every XLSX). Each is timed from the POST
  to its job's `done` (wall) and by the job's own started → finished (worker), its file downloaded through the page's
  link and its rows counted; the direct export is `flask export attempts` of the same rows in a child process;
- a bank import of bankgen's 10,000 questions (four YAML bank files of 2,500, 3.8 MB each: the upload limit is
  IMPORT_MAX_BYTES, a YAML bank file at most 5 MB) into a fresh database: each file uploaded on its bank's import
  page with Preview (a `bank.preview` job), then Confirm import (a `bank.import` job), each polled to `done`; the
  questions are counted in the database; the direct import is `flask banks import` of the same files into another.
Ratios are job / direct, wall and worker. Exit status 1 when a job fails or a count differs.

    .venv/bin/python bench/jobs_bench.py [--quick]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import time
import zipfile
from pathlib import Path

import dataset
import export_bench
import items_data
from bankgen import write_banks
from common import RESULTS, USER_AGENT, add_learners, fail, fresh_database, make_app, sign_in, table, write_result
from recompute_bench import celery_worker
from server import gunicorn

QUEUE = "quizapp-bench-jobs"  # a queue of its own on the shared Redis
DATABASE = "quizapp_bench_jobs"
WORK = RESULTS / "jobs-tmp"
COLUMNS = ["work", "rows", "direct_s", "job_wall_s", "worker_s", "wall_ratio", "worker_ratio", "checked"]
POLL_SECONDS = 0.5
JOB_LIMIT_SECONDS = 1800


def parse(argv: list[str] | None) -> argparse.Namespace:
    """Read the command line."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="100,000 attempts (10,000 as XLSX) and 1,000 questions")
    args = p.parse_args(argv)
    args.copies, args.questions = (10, 1000) if args.quick else (100, 10_000)
    args.database = f"{DATABASE}_quick" if args.quick else DATABASE
    return args


def staff(app, role: str):
    """Create a staff member with `role` and return their signed-in session (cookie and CSRF token)."""
    from sqlalchemy import update

    from quizapp.extensions import db
    from quizapp.models import Role, User

    uid = add_learners(app, 1, f"jobs-{role}-{time.time_ns()}")[0]
    with app.app_context():
        db.session.execute(update(User).where(User.id == uid).values(role=Role(role)))
        db.session.commit()
    return sign_in(app, [uid])[0]


def wait_for(app, job_id: int) -> dict:
    """Poll a job until it ends; return its state, error and the worker's seconds (started → finished)."""
    from quizapp.extensions import db
    from quizapp.models import Job

    deadline = time.monotonic() + JOB_LIMIT_SECONDS
    while time.monotonic() < deadline:
        with app.app_context():
            job = db.session.get(Job, job_id)
            if job.state in ("done", "failed"):
                worker = (job.finished_at - job.started_at).total_seconds() if job.started_at else None
                return {"state": job.state, "error": job.error, "result": job.result, "worker_s": worker}
        time.sleep(POLL_SECONDS)
    fail(f"job {job_id} did not end within {JOB_LIMIT_SECONDS} s")


def newest_job(app, kind: str) -> int:
    """Return the id of the newest job of this kind."""
    from sqlalchemy import func, select

    from quizapp.extensions import db
    from quizapp.models import Job

    with app.app_context():
        return db.session.scalar(select(func.max(Job.id)).where(Job.kind == kind))


def rows_in(path: Path, fmt: str) -> int:
    """Count the data rows of an export file: CSV lines (no field holds a line break), or XLSX `<row` elements."""
    if fmt == "csv":
        return export_bench.lines(path) - 1
    with zipfile.ZipFile(path) as book, book.open("xl/worksheets/sheet1.xml") as sheet:
        found, tail = 0, b""
        for chunk in iter(lambda: sheet.read(1 << 20), b""):
            found += len(re.findall(rb"<row[ >]", tail + chunk))
            tail = chunk[-4:]
        return found - 1


def export_row(app, client, person, fmt: str, quiz: str | None, expected: int, url: str) -> dict:
    """Ask the exports page for one export, follow its job, download and count its file; time the direct export."""
    form = {"dataset": "attempts", "format": fmt, "quiz": quiz or "", "status": "submitted", "csrf_token": person.csrf}
    began = time.perf_counter()
    response = client.post("/admin/exports/download", data=form, headers={"X-CSRFToken": person.csrf})
    if response.status_code != 303:
        fail(f"the {fmt} export answered {response.status_code}: {response.text[:500]}")
    job = wait_for(app, newest_job(app, "export"))
    wall = time.perf_counter() - began
    made = WORK / f"job.{fmt}"
    if job["state"] == "done":
        with client.stream("GET", f"/admin/exports/files/{job['result']}") as download, made.open("wb") as out:
            for chunk in download.iter_bytes(1 << 20):
                out.write(chunk)
    rows = rows_in(made, fmt) if job["state"] == "done" else None
    direct_file = WORK / f"direct.{fmt}"
    cmd, env = export_bench.service_cmd(url, quiz, direct_file)
    cmd[cmd.index("csv")] = fmt
    direct, _ = export_bench.run(cmd, env)
    direct_rows = rows_in(direct_file, fmt)
    for path in (made, direct_file):
        path.unlink(missing_ok=True)
    label = f"attempts {fmt.upper()} export{f' ({quiz})' if quiz else ''}"
    checked = f"{rows} rows (direct {direct_rows})"
    return row(label, expected, direct, wall, job, rows == direct_rows == expected, checked)


def row(work: str, rows: int, direct: float, wall: float, job: dict, ok: bool, checked: str) -> dict:
    """Return one table row with its ratios; a failed job or a wrong count marks it not ok."""
    worker = job["worker_s"] or 0.0
    ok = ok and job["state"] == "done"
    return {"work": work, "rows": rows, "direct_s": round(direct, 2), "job_wall_s": round(wall, 2),
            "worker_s": round(worker, 2), "wall_ratio": round(wall / direct, 2),
            "worker_ratio": round(worker / direct, 2),
            "checked": ("ok: " if ok else f"FAILED ({job['state']} {job['error'][:200]}): ") + checked, "ok": ok}


def exports(args) -> tuple[list[dict], dict]:
    """The 1,000,000-row CSV and the report quiz's XLSX export as jobs, each against `flask export` (and its start-up:
    the same command exporting no rows)."""
    stamp = items_data.ensure(args.copies, name=args.database)
    url = stamp["url"]
    app = make_app(url)
    report = count(url, "SELECT count(*) FROM attempt JOIN quiz ON quiz.id = attempt.quiz_id WHERE quiz.slug = %s",
                   dataset.REPORT_QUIZ)
    person = staff(app, "admin")
    with served(url, person) as client:
        rows = [export_row(app, client, person, "csv", None, stamp["attempts"], url),
                export_row(app, client, person, "xlsx", dataset.REPORT_QUIZ, report, url)]
    return rows, {"dataset": stamp, **export_bench.startup(url)}


@contextlib.contextmanager
def served(url: str, person):
    """Run gunicorn and one real worker on `url`; yield an HTTP client with `person`'s session."""
    import httpx

    headers = {"Cookie": f"session={person.cookie}", "User-Agent": USER_AGENT}
    with (gunicorn(url, 2, name="jobs_gunicorn") as server, celery_worker(url, QUEUE, "jobs_worker"),
          httpx.Client(base_url=server.url, headers=headers, timeout=120) as client):
        yield client


def count(url: str, sql: str, *params) -> int:
    """Return the single number a query answers."""
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute(sql, params).fetchone()[0]


def upload_file(app, client, person, path: Path) -> tuple[dict, dict]:
    """Preview one bank file on its import page, then confirm it; return the preview and import jobs' outcomes."""
    from sqlalchemy import select

    from quizapp.extensions import db
    from quizapp.models import StagedImport

    slug = path.stem
    files = {"file": (path.name, path.read_bytes(), "text/plain")}
    data = {"format": "yaml", "preview": "1", "csrf_token": person.csrf}
    response = client.post(f"/author/banks/{slug}/import", data=data, files=files, headers={"X-CSRFToken": person.csrf})
    if response.status_code != 303:
        fail(f"the upload of {path.name} answered {response.status_code}: {response.text[:500]}")
    token = response.headers["Location"].rsplit("/", 1)[1]
    with app.app_context():
        preview_id = db.session.scalar(select(StagedImport.preview_job_id).where(StagedImport.token == token))
    preview = wait_for(app, preview_id)
    if preview["state"] != "done":
        return preview, preview
    response = client.post(f"/author/banks/{slug}/import/{token}/confirm", data={"csrf_token": person.csrf},
                           headers={"X-CSRFToken": person.csrf})
    if response.status_code != 303:
        fail(f"the confirmation of {path.name} answered {response.status_code}: {response.text[:500]}")
    with app.app_context():
        job_id = db.session.scalar(select(StagedImport.job_id).where(StagedImport.token == token))
    return preview, wait_for(app, job_id)


def imports(args) -> list[dict]:
    """Bankgen's questions uploaded, previewed and imported as jobs; against `flask banks import` of the same files."""
    from quizapp.banks import newbanks
    from quizapp.extensions import db

    paths = write_banks(WORK / "banks", args.questions)
    direct_url = fresh_database("postgresql", f"{args.database}_cli")
    dataset.flask(direct_url, "db", "upgrade")
    direct = dataset.flask(direct_url, "banks", "import", *map(str, paths))
    questions = "SELECT count(*) FROM question JOIN bank ON bank.id = question.bank_id WHERE bank.slug LIKE 'bench-%%'"
    direct_count = count(direct_url, questions)
    url = fresh_database("postgresql", f"{args.database}_web")
    dataset.flask(url, "db", "upgrade")
    app = make_app(url)
    with app.app_context():
        for path in paths:  # the import page imports into an existing bank: empty ones, as `flask banks create` makes
            index = path.stem.rsplit("-", 1)[1]
            newbanks.create_bank(path.stem, f"Benchmark bank {index}", f"bench-{index}", "provider")
        db.session.commit()
    person = staff(app, "instructor")
    previews, jobs = [], []
    with served(url, person) as client:
        began = time.perf_counter()
        for path in paths:
            preview, job = upload_file(app, client, person, path)
            previews.append(preview)
            jobs.append(job)
        wall = time.perf_counter() - began
    made = count(url, questions)
    size = sum(p.stat().st_size for p in paths) / 1e6
    failed = next((j for j in previews + jobs if j["state"] != "done"), None)
    outcome = failed or {"state": "done", "error": "", "worker_s": sum(j["worker_s"] for j in previews + jobs)}
    previewing = sum(j["worker_s"] or 0 for j in previews)
    checked = f"{made} questions (direct {direct_count}); of the worker's time, the preview jobs {previewing:.1f} s"
    label = f"bank import, {len(paths)} YAML files ({size:.1f} MB): preview + import jobs"
    return [row(label, args.questions, direct, wall, outcome, made == direct_count == args.questions, checked)]


def main(argv: list[str] | None = None) -> dict:
    """Run both parts, print the table, write bench/results/jobs_bench.json; exit 1 when a job or a count failed."""
    args = parse(argv)
    for folder in (WORK, RESULTS / "export-tmp"):  # export_bench.run keeps the child's stderr and peak there
        folder.mkdir(parents=True, exist_ok=True)
    os.environ["JOBS_QUEUE"] = QUEUE  # gunicorn, the worker and the in-process app use the bench worker's queue
    os.environ["EXPORT_DIR"] = str(WORK / "exports")
    load = [round(os.getloadavg()[0], 2)]
    rows, direct = exports(args)
    load.append(round(os.getloadavg()[0], 2))
    rows += imports(args)
    load.append(round(os.getloadavg()[0], 2))
    markdown = table(rows, COLUMNS)
    verdicts = [f"{r['work']}: job {r['job_wall_s']} s wall, {r['worker_s']} s on the worker, against "
                f"{r['direct_s']} s direct ({r['wall_ratio']}x wall); {r['checked']}" for r in rows]
    verdicts.append(f"`flask export` with no rows (its start-up, part of each direct export): {direct['startup_s']} s")
    verdicts.append(f"load average (1 min) at the start, between the parts and at the end: {load}")
    result = {"settings": vars(args), "direct": direct, "rows": rows, "load": load, "verdicts": verdicts,
              "markdown": markdown, "passed": all(r["ok"] for r in rows)}
    path = write_result("jobs_bench", result)
    print(markdown, *verdicts, f"wrote {path}", sep="\n")
    if not result["passed"]:
        fail("a job failed or a count differs (see the table)")
    return result


if __name__ == "__main__":
    main()
