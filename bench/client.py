"""An asyncio HTTP client for learners: bounded connections, per-kind timings, retries on transient failures.

It speaks just the HTTP/1.1 a learner's requests need, one connection per request (gunicorn's sync workers close
each), so that the load it makes costs the 2 cores it shares with the server little: httpx spent 2.5 ms of CPU per
request here, as much as half the server's own work on a start.
"""

from __future__ import annotations

import asyncio
import json as jsonlib
import re
import time
from collections import Counter, defaultdict
from urllib.parse import urlencode, urlsplit

from common import INTAKE, Learner

RETRY_STATUSES = {502, 503, 504}
ATTEMPT_PATH = re.compile(r"/attempts/([^/]+)/questions/1$")


class BrokenResponse(ConnectionError):
    """The connection ended before a whole response arrived."""


# A refused or reset connection, a timeout (TimeoutError is an OSError) or a response cut short.
TRANSIENT = (OSError, EOFError)


class Headers:
    """A response's headers, looked up by lower-case name."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        """Keep the (lower-case name, value) pairs in the order sent."""
        self.pairs = pairs

    def get(self, name: str, default: str | None = None) -> str | None:
        """Return the first value of header `name`, or `default`."""
        return next((v for k, v in self.pairs if k == name), default)

    def get_list(self, name: str) -> list[str]:
        """Return every value of header `name`."""
        return [v for k, v in self.pairs if k == name]

    def __getitem__(self, name: str) -> str:
        """Return the first value of header `name` (KeyError when absent)."""
        value = self.get(name)
        if value is None:
            raise KeyError(name)
        return value


class Reply:
    """A response as a learner's request reads it: the status, the headers, the body."""

    def __init__(self, raw: bytes) -> None:
        """Parse a whole HTTP/1.1 response, read until the server closed the connection."""
        head, sep, body = raw.partition(b"\r\n\r\n")
        if not sep:
            raise BrokenResponse("the connection closed before the response's headers ended")
        status, *lines = head.decode("latin-1").split("\r\n")
        self.status_code = int(status.split(" ", 2)[1])
        self.headers = Headers([(k.strip().lower(), v.strip()) for k, _, v in (x.partition(":") for x in lines)])
        if self.headers.get("transfer-encoding") == "chunked":
            body = _unchunked(body)
        elif len(body) < int(self.headers.get("content-length", len(body))):
            raise BrokenResponse("the connection closed before the response's body ended")
        self.content = body

    def json(self) -> object:
        """Return the body parsed as JSON."""
        return jsonlib.loads(self.content)


def _unchunked(body: bytes) -> bytes:
    """Return a chunked body's data."""
    out, at = [], 0
    while True:
        line_end = body.find(b"\r\n", at)
        if line_end < 0:
            raise BrokenResponse("the connection closed inside a chunked body")
        size = int(body[at:line_end].split(b";", 1)[0], 16)
        if size == 0:
            return b"".join(out)
        out.append(body[line_end + 2:line_end + 2 + size])
        at = line_end + 2 + size + 2


class Client:
    """Sends learners' requests to one server and keeps the figures: latencies, statuses, retries, errors."""

    def __init__(self, base_url: str, connections: int, retries: int = 0, timeout: float = 30) -> None:
        """Keep at most `connections` connections open at once; `retries` > 0 retries transient failures."""
        where = urlsplit(base_url)
        self.host, self.port, self.netloc = where.hostname, where.port or 80, where.netloc
        self.timeout = timeout
        self.gate = asyncio.Semaphore(connections)
        self.retries = retries
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.statuses: Counter = Counter()
        self.errors: Counter = Counter()
        self.sent = 0
        self.retried = 0

    async def close(self) -> None:
        """Nothing stays open between requests."""

    async def exchange(self, method: str, path: str, headers: dict, data: dict | None) -> Reply:
        """Send one request on a new connection and read the whole response (the server closes the connection)."""
        body = urlencode(data, doseq=True).encode() if data is not None else b""
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.netloc}", "Connection: close"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        if data is not None:
            lines += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
        reader, writer = await asyncio.open_connection(self.host, self.port)
        try:
            writer.write("\r\n".join(lines).encode("latin-1") + b"\r\n\r\n" + body)
            return Reply(await reader.read())
        finally:
            writer.close()

    async def call(self, learner: Learner, kind: str, method: str, path: str, data: dict | None = None,
                   json: bool = False) -> Reply | None:
        """Send one request for `learner`, retrying transient failures; return the response or None (gave up)."""
        headers = learner.headers() | ({"Accept": "application/json"} if json else {})
        for attempt in range(self.retries + 1):
            if attempt:
                self.retried += 1
                await asyncio.sleep(min(2.0, 0.1 * 2**attempt))
            async with self.gate:
                self.sent += 1
                began = time.perf_counter()
                try:
                    response = await asyncio.wait_for(self.exchange(method, path, headers, data), self.timeout)
                except TRANSIENT as exc:
                    self.errors[type(exc).__name__] += 1
                    continue
            self.latency[kind].append(time.perf_counter() - began)
            self.statuses[response.status_code] += 1
            _keep_session(learner, response)
            if response.status_code in RETRY_STATUSES and attempt < self.retries:
                self.errors[f"HTTP {response.status_code}"] += 1
                continue
            if response.status_code >= 500:
                self.errors[f"HTTP {response.status_code}"] += 1
            return response
        self.errors["gave up"] += 1
        return None

    async def start(self, learner: Learner, slug: str) -> str | None:
        """Start (or resume) the learner's attempt with the intake; return its public id."""
        data = {**INTAKE, "csrf_token": learner.csrf}
        response = await self.call(learner, "start", "POST", f"/quizzes/{slug}/start", data)
        match = ATTEMPT_PATH.search(response.headers.get("location", "")) if response is not None else None
        if response is not None and match is None:
            self.errors[f"start answered {response.status_code}"] += 1
        return match.group(1) if match else None

    async def save(self, learner: Learner, public_id: str, number: int, form: dict) -> bool:
        """Autosave one answer (the page script's JSON request); return whether the server says it is saved."""
        path = f"/attempts/{public_id}/questions/{number}/autosave"
        response = await self.call(learner, "save", "POST", path, form, json=True)
        ok = response is not None and response.status_code == 200 and response.json().get("saved") is True
        if response is not None and not ok:
            self.errors[f"save answered {response.status_code}"] += 1
        return ok

    async def submit(self, learner: Learner, public_id: str) -> bool:
        """Submit the attempt; return whether the server redirected to the result."""
        response = await self.call(learner, "submit", "POST", f"/attempts/{public_id}/submit",
                                   {"csrf_token": learner.csrf})
        ok = response is not None and response.status_code == 303 and "/result" in response.headers["location"]
        if response is not None and not ok:
            self.errors[f"submit answered {response.status_code}"] += 1
        return ok

    async def page(self, learner: Learner, kind: str, path: str) -> bool:
        """GET a page; return whether it answered 200."""
        response = await self.call(learner, kind, "GET", path)
        if response is not None and response.status_code != 200:
            self.errors[f"{kind} answered {response.status_code}"] += 1
        return response is not None and response.status_code == 200


def _keep_session(learner: Learner, response: Reply) -> None:
    """Follow the server's refreshed session cookie, as a browser would."""
    for header in response.headers.get_list("set-cookie"):
        if header.startswith("session="):
            learner.cookie = header.split(";", 1)[0].removeprefix("session=")
