"""An asyncio HTTP client for learners: bounded connections, per-kind timings, retries on transient failures."""

from __future__ import annotations

import asyncio
import re
import time
from collections import Counter, defaultdict

import httpx
from common import INTAKE, Learner

RETRY_STATUSES = {502, 503, 504}
TRANSIENT = (httpx.TransportError,)
ATTEMPT_PATH = re.compile(r"/attempts/([^/]+)/questions/1$")


class Client:
    """Sends learners' requests to one server and keeps the figures: latencies, statuses, retries, errors."""

    def __init__(self, base_url: str, connections: int, retries: int = 0, timeout: float = 30) -> None:
        """Open a pool of at most `connections` connections; `retries` > 0 retries transient failures."""
        limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
        self.http = httpx.AsyncClient(base_url=base_url, limits=limits, timeout=timeout)
        # Requests wait for a connection here, not in httpx's pool, whose queue gets slow with a thousand waiters.
        self.gate = asyncio.Semaphore(connections)
        self.retries = retries
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.statuses: Counter = Counter()
        self.errors: Counter = Counter()
        self.sent = 0
        self.retried = 0

    async def close(self) -> None:
        """Close the connection pool."""
        await self.http.aclose()

    async def call(self, learner: Learner, kind: str, method: str, path: str, data: dict | None = None,
                   json: bool = False) -> httpx.Response | None:
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
                    response = await self.http.request(method, path, headers=headers, data=data)
                except TRANSIENT as exc:
                    self.errors[type(exc).__name__] += 1
                    continue
                finally:
                    self.http.cookies.clear()  # the learner's cookie travels in the header, never in the shared jar
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


def _keep_session(learner: Learner, response: httpx.Response) -> None:
    """Follow the server's refreshed session cookie, as a browser would."""
    for header in response.headers.get_list("set-cookie"):
        if header.startswith("session="):
            learner.cookie = header.split(";", 1)[0].removeprefix("session=")
