"""Running gunicorn with the production settings for a benchmark, and reading its CPU time."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from common import BENCH, BROKER_URL, MAIL_URL, PUBLIC_URL, RESULTS, ROOT, SECRET_KEY, fail


def free_port() -> int:
    """Return a free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """A running gunicorn master."""

    proc: subprocess.Popen
    url: str
    log: Path

    def worker_pids(self) -> list[int]:
        """Return the worker pids: the master's children."""
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        return [int(p) for p in children.read_text().split()] if children.exists() else []

    def cpu_seconds(self) -> float:
        """Return the CPU time used so far by the master and its workers, those already replaced included."""
        total = _proc_ticks(self.proc.pid, with_children=True)
        total += sum(_proc_ticks(pid) for pid in self.worker_pids())
        return total / os.sysconf("SC_CLK_TCK")


def _proc_ticks(pid: int, with_children: bool = False) -> int:
    """Return a process's user+system clock ticks (plus its reaped children's when asked)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    # After the command: state is fields[0]; utime, stime, cutime, cstime are fields 11-14.
    return sum(int(f) for f in fields[11:15 if with_children else 13])


@contextlib.contextmanager
def gunicorn(database_url: str, workers: int, app_uri: str | None = None, cpus: str | None = None,
             probe: str = "/healthz", name: str = "gunicorn", tree: Path = ROOT,
             settings: dict | None = None) -> Iterator[Server]:
    """Run `gunicorn -c gunicorn.conf.py` (the production settings) of `tree` and kill its process group on exit."""
    port = free_port()
    env = {
        **os.environ,
        "QUIZAPP_ENV": "production",
        "SECRET_KEY": SECRET_KEY,
        "BROKER_URL": BROKER_URL,
        "MAIL_URL": MAIL_URL,
        "PUBLIC_URL": PUBLIC_URL,
        "DATABASE_URL": database_url,
        "RATELIMIT_STORAGE_URI": os.environ.get("BENCH_RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/14"),
        "WEB_CONCURRENCY": str(workers),
        "BIND": f"127.0.0.1:{port}",
        **(settings or {}),
    }
    # No control socket: its default path is shared by every gunicorn on the machine (other engineers' too).
    cmd = [str(ROOT / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py", "--no-control-socket"]
    if app_uri:
        cmd += ["--pythonpath", str(BENCH), app_uri]
    if cpus:
        cmd = ["taskset", "-c", cpus, *cmd]
    RESULTS.mkdir(parents=True, exist_ok=True)
    log = RESULTS / f"{name}.log"
    with open(log, "wb") as errors:
        # accesslog "-" writes one line per request to stdout: discarded here, written (and paid for) all the same.
        proc = subprocess.Popen(cmd, cwd=tree, env=env, stdout=subprocess.DEVNULL, stderr=errors,
                                start_new_session=True)
    server = Server(proc, f"http://127.0.0.1:{port}", log)
    try:
        _wait_ready(server, probe, workers)
        yield server
    finally:
        stop(proc)


def _wait_ready(server: Server, probe: str, workers: int, limit: float = 60) -> None:
    """Wait until every worker has booted and the probe path answers 200."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            fail(f"gunicorn exited with {server.proc.returncode}; see {server.log}:\n{server.log.read_text()[-2000:]}")
        booted = server.log.read_text().count("Booting worker")
        with contextlib.suppress(OSError), urllib.request.urlopen(server.url + probe, timeout=2) as response:  # noqa: S310
            if response.status == 200 and booted >= workers:
                return
        time.sleep(0.2)
    fail(f"gunicorn did not answer {probe} within {limit:.0f} s; see {server.log}")


def stop(proc: subprocess.Popen) -> None:
    """Terminate a process group started with start_new_session, then kill it if it lingers."""
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        try:
            proc.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue
