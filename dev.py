#!/usr/bin/env python3
"""Set up and run quizapp on a fresh machine with nothing but Python 3.11+.

python3 dev.py serve   install, create the SQLite database, import questions/, serve on http://127.0.0.1:5000
python3 dev.py worker  start a background-job worker on BROKER_URL (without one, serve runs jobs in-process)
python3 dev.py beat    start the one scheduler of periodic work (reminders, sweeps) on BROKER_URL: one per deployment
python3 dev.py test    install the test tools and run the test suite (extra arguments go to pytest)
python3 dev.py flask … a `flask --app wsgi` command (e.g. `users create`) on the development database
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("QUIZAPP_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def run(*args: str, env: dict | None = None) -> None:
    """Run a command from the project folder, stopping on failure."""
    result = subprocess.run(args, cwd=ROOT, env={**os.environ, **(env or {})}, check=False)  # noqa: S603
    if result.returncode:
        sys.exit(result.returncode)


def install(requirements: str) -> None:
    """Create the virtual environment and install a requirements file, skipping work already done."""
    if not PYTHON.exists():
        print(f"creating a virtual environment in {VENV}")
        venv.EnvBuilder(with_pip=True).create(VENV)
    text = "".join((ROOT / name).read_text() for name in ("requirements.txt", requirements))
    stamp = VENV / f".installed-{requirements}"
    digest = hashlib.sha256(text.encode()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    run(str(PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", requirements)
    stamp.write_text(digest)


LOOPBACK = ("127.0.0.1", "::1", "localhost")


def flask(*args: str) -> None:
    """Run a `flask --app wsgi` command in the virtual environment, in development mode unless told otherwise."""
    mode = os.environ.get("QUIZAPP_ENV", "development")
    run(str(PYTHON), "-m", "flask", "--app", "wsgi", *args, env={"QUIZAPP_ENV": mode})


def serve() -> None:
    """Install, migrate, import the question banks and serve the development server."""
    host = os.environ.get("HOST", "127.0.0.1")
    if host not in LOOPBACK and not os.environ.get("SECRET_KEY"):
        sys.exit(f"HOST={host} would serve other machines with the published development key: set a SECRET_KEY first")
    install("requirements.txt")
    flask("db", "upgrade")
    flask("banks", "import", os.environ.get("QUESTIONS_DIR", str(ROOT / "questions")))
    port = os.environ.get("PORT", "5000")
    print(f"\nquizapp is starting on http://{host}:{port} - create an account there to take a quiz.")
    print("An instructor or admin account: python3 dev.py flask users create --email you@example.org --role admin\n")
    flask("run", "--host", host, "--port", port)


def celery(program: str, celery_args: list[str]) -> None:
    """Install and start `celery worker` or `celery beat` on BROKER_URL; extra arguments go to celery."""
    if not (os.environ.get("BROKER_URL") or os.environ.get("CELERY_BROKER_URL")):
        sys.exit(
            "BROKER_URL is not set. Without it `python3 dev.py serve` runs jobs in-process and needs no worker; "
            "to use a queue, set BROKER_URL=redis://127.0.0.1:6379/1 for serve, worker and beat. Without a "
            "scheduler, run the periodic work once with: python3 dev.py flask jobs tick"
        )
    install("requirements.txt")
    mode = os.environ.get("QUIZAPP_ENV", "development")
    command = [str(PYTHON), "-m", "celery", "-A", "quizapp.jobs.worker", program, "--loglevel=INFO", *celery_args]
    run(*command, env={"QUIZAPP_ENV": mode})


def test(pytest_args: list[str]) -> None:
    """Install the test tools and run pytest; exit code 5 (no tests collected) counts as failure."""
    install("requirements-dev.txt")
    result = subprocess.run([str(PYTHON), "-m", "pytest", *pytest_args], cwd=ROOT, check=False)  # noqa: S603
    if result.returncode == 5:
        print("pytest collected no tests: that is a failure", file=sys.stderr)
        sys.exit(1)
    sys.exit(result.returncode)


def main() -> None:
    """Dispatch `serve`, `worker`, `beat`, `test` or `flask`."""
    command, rest = (sys.argv[1], sys.argv[2:]) if len(sys.argv) > 1 else ("", [])
    if command == "serve":
        serve()
    elif command in ("worker", "beat"):
        celery(command, rest)
    elif command == "test":
        test(rest)
    elif command == "flask":
        install("requirements.txt")
        flask(*rest)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
