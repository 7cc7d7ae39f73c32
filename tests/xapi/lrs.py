"""A minimal conforming learning record store on loopback: a real HTTP server that keeps the statements it accepts.

It does what xAPI 1.0.3 asks of an LRS for the calls quizapp makes: HTTP Basic credentials (401 otherwise), the
X-Experience-API-Version header (400 without a 1.0.x one, and sent back on every answer), statements checked by
`conformance` (400 with the reasons), PUT by statementId (204; the same statement again is 204 and changes nothing;
a different statement under a stored id is 409), POST of one or many (ids assigned, 409 on a conflicting id), GET by
statementId or all. `refuse` maps a write's number (1 for the first) to the status it answers instead (an LRS down).
"""

from __future__ import annotations

import base64
import json
import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from tests.xapi import conformance

KEY, SECRET = "lrs-key", "lrs-secret"
IGNORED = ("stored", "authority", "version")
ROOT = "/xapi"  # the LRS's endpoint path: statements live at /xapi/statements


@dataclass
class Store:
    """What the LRS holds: statements by id, in the order stored; the writes it was asked to refuse."""

    base: str = ""
    statements: dict[str, dict] = field(default_factory=dict)
    writes: list[tuple[str, str]] = field(default_factory=list)
    refuse: dict[int, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def same(self, stored: dict, sent: dict) -> bool:
        """Whether a sent statement is the one stored (ignoring what the LRS itself adds)."""
        return {k: v for k, v in stored.items() if k not in IGNORED} == {
            k: v for k, v in sent.items() if k not in IGNORED
        }

    def keep(self, statement: dict) -> int:
        """Store a statement under its id: 204 when new or identical, 409 when another one holds the id."""
        with self.lock:
            held = self.statements.get(statement["id"])
            if held is not None:
                return 204 if self.same(held, statement) else 409
            stamp = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
            self.statements[statement["id"]] = {**statement, "stored": stamp, "version": "1.0.3"}
            return 204


def handler_for(store: Store) -> type[BaseHTTPRequestHandler]:
    """Return the request handler serving `store`."""

    class Handler(BaseHTTPRequestHandler):
        """The statements resource and /about."""

        def log_message(self, *args) -> None:
            """Keep the test output quiet."""

        def answer(self, status: int, body: object = None) -> None:
            """Send a JSON answer (or none for 204) with the version header."""
            data = b"" if body is None else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("X-Experience-API-Version", "1.0.3")
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def refused(self) -> bool:
            """Answer 401 without the LRS's credentials, 400 without a 1.0.x version header; True if refused."""
            expected = "Basic " + base64.b64encode(f"{KEY}:{SECRET}".encode()).decode()
            if self.headers.get("Authorization") != expected:
                self.answer(401, {"error": "bad credentials"})
                return True
            if not (self.headers.get("X-Experience-API-Version") or "").startswith("1.0."):
                self.answer(400, {"error": "X-Experience-API-Version 1.0.x is required"})
                return True
            return False

        def body(self) -> object:
            """Read the JSON body (None when it is not JSON)."""
            data = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            try:
                return json.loads(data)
            except ValueError:
                return None

        def route(self) -> tuple[str, dict]:
            """Return the path under the LRS's root and the query."""
            parts = urlsplit(self.path)
            return parts.path.rstrip("/").removeprefix(ROOT), {k: v[0] for k, v in parse_qs(parts.query).items()}

        def do_GET(self) -> None:
            """Serve /about, one statement by id, or every statement."""
            path, query = self.route()
            if path == "/about":
                return self.answer(200, {"version": ["1.0.3"]})
            if self.refused():
                return None
            if path != "/statements":
                return self.answer(404, {"error": "not found"})
            if "statementId" in query:
                held = store.statements.get(query["statementId"])
                return self.answer(200, held) if held else self.answer(404, {"error": "no such statement"})
            return self.answer(200, {"statements": list(store.statements.values()), "more": ""})

        def do_PUT(self) -> None:
            """Store one statement under the statementId parameter."""
            path, query = self.route()
            if self.refused():
                return None
            statement = self.body()
            store.writes.append(("PUT", query.get("statementId", "")))
            if len(store.writes) in store.refuse:
                return self.answer(store.refuse[len(store.writes)], {"error": "refused as the test asked"})
            if path != "/statements" or not conformance.is_uuid(query.get("statementId")):
                return self.answer(400, {"error": "PUT needs a statementId UUID"})
            if isinstance(statement, dict) and statement.get("id", query["statementId"]) != query["statementId"]:
                return self.answer(400, {"error": "the statement's id differs from statementId"})
            errors = conformance.problems(statement)
            if errors:
                return self.answer(400, {"error": errors})
            return self.answer(store.keep({**statement, "id": query["statementId"]}))

        def do_POST(self) -> None:
            """Store one statement or a list; answer the ids in order."""
            path, _ = self.route()
            if self.refused():
                return None
            sent = self.body()
            batch = sent if isinstance(sent, list) else [sent]
            store.writes.append(("POST", str(len(batch))))
            errors = [e for s in batch for e in conformance.problems(s)]
            if path != "/statements" or errors:
                return self.answer(400, {"error": errors})
            batch = [{**s, "id": s.get("id") or str(uuid.uuid4())} for s in batch]
            statuses = [store.keep(s) for s in batch]
            return (
                self.answer(409, {"error": "conflict"})
                if 409 in statuses
                else self.answer(200, [s["id"] for s in batch])
            )

    return Handler


def serve(store: Store) -> ThreadingHTTPServer:
    """Start the LRS on a free loopback port in a thread; set the store's base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(store))
    store.base = f"http://127.0.0.1:{server.server_address[1]}{ROOT}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
