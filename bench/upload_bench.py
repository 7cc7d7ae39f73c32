"""Issue 15 item 21: time ~1 MB YAML, GIFT and Aiken uploads (and hostile ones) through the web import page."""

from __future__ import annotations

import argparse
import io
import random
import time

from bankgen import bank, sentence
from common import RESULTS, fresh_database, table, write_result

COLUMNS = ["file", "bytes", "questions", "button", "status", "seconds", "cpu_s"]
TARGET = 1024 * 1024 - 4096  # just under the upload limit
WORKER_TIMEOUT = 30.0


def yaml_bank(slug: str) -> tuple[str, int]:
    """Return a valid bank file of about 1 MB for `slug`, and its number of questions."""
    rng, count = random.Random(15), 800
    text = bank(rng, 1, count, 0).replace("bench-bank-1", slug)
    while len(text.encode()) > TARGET:
        count -= 20
        text = bank(random.Random(15), 1, count, 0).replace("bench-bank-1", slug)
    return text, count


def gift_file() -> tuple[str, int]:
    """Return about 1 MB of GIFT: single, multiple, true/false and numerical questions."""
    rng, parts = random.Random(15), []
    size, n = 0, 0
    while size < TARGET - 2000:
        stem = sentence(rng, 10, 30)
        kind = n % 4
        if kind == 0:
            body = "{\n" + "\n".join(f"{'=' if i == 0 else '~'}{sentence(rng, 4, 12)}#{sentence(rng, 4, 10)}"
                                    for i in range(4)) + "\n}"
        elif kind == 1:
            body = "{\n" + "\n".join(f"~%{50 if i < 2 else -50}%{sentence(rng, 4, 12)}" for i in range(4)) + "\n}"
        elif kind == 2:
            body = "{TRUE#" + sentence(rng, 5, 12) + "}"
        else:
            body = "{#" + f"{rng.randint(1, 120)}:{rng.randint(0, 5)}" + "}"
        part = f"::Q{n}::{stem} {body}\n\n"
        parts.append(part)
        size += len(part.encode())
        n += 1
    return "".join(parts), n


def aiken_file() -> tuple[str, int]:
    """Return about 1 MB of Aiken questions."""
    rng, parts, size, n = random.Random(15), [], 0, 0
    while size < TARGET - 2000:
        options = "".join(f"{'ABCD'[i]}) {sentence(rng, 4, 12)}\n" for i in range(4))
        part = f"{sentence(rng, 10, 30)}\n{options}ANSWER: {'ABCD'[n % 4]}\n\n"
        parts.append(part)
        size += len(part.encode())
        n += 1
    return "".join(parts), n


def hostile() -> list[tuple[str, str, str]]:
    """Return (label, format, text) of the hostile uploads of items 2, 3 and 4, each well under 1 MB."""
    one = "  - &q {key: bad, type: numeric, stem: s, answer: {value: x}}\n"
    aliases = "format: quizapp-bank/1\nbank: up\ntitle: t\ntopic: t\nlevel: lay\nquestions:\n" + one
    return [
        ("yaml 30,000 nested [", "yaml", "[" * 30_000),
        ("yaml 8,000 aliases to one invalid question", "yaml", aliases + "  - *q\n" * 8000),
        ("gift {# + 40,000 digits + x}", "gift", "Q {#" + "1" * 40_000 + "x}\n"),
    ]


def setup(url: str):
    """Return a test client signed in as an instructor, on a migrated database with the demo bank."""
    from flask_migrate import upgrade

    from quizapp import create_app
    from quizapp.accounts import users
    from quizapp.banks import sync
    from quizapp.extensions import db

    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url,
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    with app.app_context():
        upgrade()
        empty = "format: quizapp-bank/1\nbank: {0}\ntitle: {0}\ntopic: bench\nlevel: lay\nquestions: []\n"
        for slug in ("up", "up-yaml"):
            (RESULTS / f"{slug}.yaml").write_text(empty.format(slug))
            sync.import_files(sync.load([RESULTS / f"{slug}.yaml"]))
        users.register("bench@example.org", "Bench", "bench password 1234", "instructor")
        db.session.commit()
    client = app.test_client()
    client.post("/auth/login", data={"email": "bench@example.org", "password": "bench password 1234"})
    return app, client


def post(client, slug: str, fmt: str, text: str, button: str) -> tuple[int, float, float]:
    """Upload `text` to a bank's import page; return the status, the seconds and this process's CPU seconds."""
    from werkzeug.datastructures import FileStorage
    from werkzeug.test import encode_multipart

    fields = {"file": FileStorage(io.BytesIO(text.encode()), "upload.txt"), "format": fmt, button: "1"}
    boundary, body = encode_multipart(fields)
    start, cpu = time.perf_counter(), time.process_time()
    response = client.post(f"/author/banks/{slug}/import", data=body,
                           content_type=f"multipart/form-data; boundary={boundary}")
    return response.status_code, time.perf_counter() - start, time.process_time() - cpu


def main(argv: list[str] | None = None) -> dict:
    """Upload each file with Preview, then Import; print and write bench/results/upload_bench.json."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--database", default="sqlite", choices=["sqlite", "postgresql"])
    p.add_argument("--no-hostile", action="store_true", help="skip the hostile uploads (they crash old code)")
    args = p.parse_args(argv)
    RESULTS.mkdir(parents=True, exist_ok=True)
    _, client = setup(fresh_database(args.database, "quizapp_bench_upload"))
    files = [("yaml bank", "yaml", "up-yaml", *yaml_bank("up-yaml")), ("gift", "gift", "up", *gift_file()),
             ("aiken", "aiken", "up", *aiken_file())]
    rows = []
    for label, fmt, slug, text, n in files:
        for button in ("preview", "submit"):
            status, seconds, cpu = post(client, slug, fmt, text, button)
            rows.append({"file": label, "bytes": len(text.encode()), "questions": n, "button": button,
                         "status": status, "seconds": round(seconds, 2), "cpu_s": round(cpu, 2)})
            print(rows[-1], flush=True)
    for label, fmt, text in [] if args.no_hostile else hostile():
        status, seconds, cpu = post(client, "up", fmt, text, "preview")
        rows.append({"file": label, "bytes": len(text.encode()), "questions": "", "button": "preview",
                     "status": status, "seconds": round(seconds, 2), "cpu_s": round(cpu, 2)})
        print(rows[-1], flush=True)
    slowest = max(r["seconds"] for r in rows)
    verdict = f"slowest upload {slowest:.2f} s (worker timeout {WORKER_TIMEOUT:g} s)"
    result = {"database": args.database, "rows": rows, "verdict": verdict, "markdown": table(rows, COLUMNS)}
    path = write_result("upload_bench", result)
    print(result["markdown"])
    print(verdict)
    print(f"wrote {path}")
    return result


if __name__ == "__main__":
    main()
