"""A learning platform played by the tests: its RSA key, signed id_tokens, and a real HTTP server on loopback.

The server publishes the platform's JWKS and answers the token, line-item and score endpoints, keeping every
request it receives so tests can assert what the tool sent. For a browser, it also serves the pages a platform's
browser goes through: /start (an auto-submitting form that starts the tool's OIDC login) and /auth (the platform's
authorisation answer: an auto-submitting form posting a signed id_token and the state to the tool).
"""

from __future__ import annotations

import html
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from quizapp.lti import claims as c

CLIENT_ID = "quizapp-client"
DEPLOYMENT_ID = "deployment-1"
TOKEN = "platform-access-token"


@dataclass
class Received:
    """One request the platform's server received."""

    method: str
    path: str
    query: dict
    headers: dict
    body: bytes

    def json(self) -> dict:
        """Return the body read as JSON."""
        return json.loads(self.body)

    def form(self) -> dict:
        """Return the body read as a URL-encoded form."""
        return dict(parse_qsl(self.body.decode()))


@dataclass
class Platform:
    """The platform: keys, issuer, its server's URLs and what the server received."""

    key: rsa.RSAPrivateKey = field(default_factory=lambda: rsa.generate_private_key(65537, 2048))
    kid: str = "platform-key-1"
    base: str = ""
    received: list[Received] = field(default_factory=list)
    lineitems: list[dict] = field(default_factory=list)
    score_status: int = 200
    tool: str = ""  # the tool's base URL, for the browser pages
    launch_claims: dict = field(default_factory=dict)  # overrides for the id_token /auth signs

    @property
    def issuer(self) -> str:
        """The platform's issuer: its server's base URL."""
        return self.base

    def url(self, path: str) -> str:
        """Return a URL on the platform's server."""
        return self.base + path

    def jwks(self) -> dict:
        """Return the platform's public key set."""
        jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return {"keys": [{**jwk, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    def claims(self, nonce: str, **overrides) -> dict:
        """Return a resource-link launch's claims for a learner, with `overrides` applied (None removes one)."""
        now = int(time.time())
        body = {
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "sub": "platform-user-42",
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            "name": "Pat Platform",
            "email": "pat@hospital.example",
            c.MESSAGE_TYPE: c.RESOURCE_LAUNCH,
            c.VERSION: "1.3.0",
            c.DEPLOYMENT_ID: DEPLOYMENT_ID,
            c.ROLES: ["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"],
            c.RESOURCE_LINK: {"id": "link-1"},
            c.CONTEXT: {"id": "course-1", "title": "BLS refresher"},
            c.CUSTOM: {"quiz": "demo-exam"},
            c.AGS_ENDPOINT: {
                "scope": [c.SCORE_SCOPE, c.LINEITEM_SCOPE],
                "lineitem": self.url("/lineitems/1"),
                "lineitems": self.url("/lineitems"),
            },
        }
        body.update(overrides)
        return {k: v for k, v in body.items() if v is not None}

    def sign(self, body: dict, key: rsa.RSAPrivateKey | None = None) -> str:
        """Sign claims as the platform (or with another key, to forge)."""
        return jwt.encode(body, key or self.key, algorithm="RS256", headers={"kid": self.kid})

    def requests_to(self, path: str) -> list[Received]:
        """Return the requests the server received for a path."""
        return [r for r in self.received if r.path == path]


def handler_for(platform: Platform) -> type[BaseHTTPRequestHandler]:
    """Return the request handler that plays `platform`'s endpoints."""

    class Handler(BaseHTTPRequestHandler):
        """JWKS, token, line items and scores, as an LMS answers them."""

        def log_message(self, *args) -> None:
            """Keep the test output quiet."""

        def _keep(self) -> Received:
            """Record the request."""
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            got = Received(self.command, parts.path, parse_qs(parts.query), dict(self.headers), self.rfile.read(length))
            platform.received.append(got)
            return got

        def _answer(self, status: int, body: object, kind: str = "application/json") -> None:
            """Send a JSON answer."""
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _page(self, action: str, fields: dict) -> None:
            """Answer an HTML page whose form posts `fields` to `action` by itself, as platforms do."""
            inputs = "".join(
                f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">' for k, v in fields.items()
            )
            page = (
                f'<!doctype html><title>Platform</title><form method="post" action="{html.escape(action)}">{inputs}'
                "</form><script>document.forms[0].submit()</script>"
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def do_GET(self) -> None:
            """Serve the JWKS, the line-item container and the browser's login and authorisation pages."""
            got = self._keep()
            if got.path == "/start":
                hint = {"iss": platform.issuer, "login_hint": "hint-42", "client_id": CLIENT_ID}
                return self._page(platform.tool + "/lti/login", {**hint, "target_link_uri": platform.tool})
            if got.path == "/auth":
                asked = {k: v[0] for k, v in got.query.items()}
                token = platform.sign(platform.claims(asked["nonce"], **platform.launch_claims))
                return self._page(asked["redirect_uri"], {"id_token": token, "state": asked["state"]})
            if got.path == "/jwks":
                return self._answer(200, platform.jwks())
            if got.path == "/lineitems" and self._authorised(got):
                link = got.query.get("resource_link_id", [None])[0]
                return self._answer(200, [i for i in platform.lineitems if i.get("resourceLinkId") == link])
            return self._answer(404, {"error": "not found"})

        def do_POST(self) -> None:
            """Answer the token endpoint, add line items, take scores."""
            got = self._keep()
            if got.path == "/token":
                return self._answer(200, {"access_token": TOKEN, "token_type": "Bearer", "expires_in": 3600})
            if not self._authorised(got):
                return self._answer(401, {"error": "no token"})
            if got.path == "/lineitems":
                item = {**got.json(), "id": platform.url(f"/lineitems/{len(platform.lineitems) + 100}")}
                platform.lineitems.append(item)
                return self._answer(201, item)
            if got.path.startswith("/lineitems/") and got.path.endswith("/scores"):
                return self._answer(platform.score_status, {})
            return self._answer(404, {"error": "not found"})

        def _authorised(self, got: Received) -> bool:
            """Whether the request carries the token the token endpoint gave."""
            return got.headers.get("Authorization") == f"Bearer {TOKEN}"

    return Handler


def serve(platform: Platform) -> ThreadingHTTPServer:
    """Start the platform's server on a free loopback port, in a thread; set its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(platform))
    platform.base = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def login(client, platform: Platform, **params) -> tuple[str, str]:
    """Start the OIDC login as the platform does; return the state and nonce the tool sent to the platform."""
    query = {
        "iss": platform.issuer,
        "login_hint": "hint-42",
        "target_link_uri": "http://localhost/lti/launch",
        "client_id": CLIENT_ID,
        **params,
    }
    response = client.get("/lti/login?" + urlencode(query))
    assert response.status_code == 302, response.get_data(as_text=True)
    sent = parse_qs(urlsplit(response.headers["Location"]).query)
    return sent["state"][0], sent["nonce"][0]


def launch(client, platform: Platform, **overrides):
    """Log in and post a signed launch as the platform's browser would; return the tool's response."""
    state, nonce = login(client, platform)
    return client.post(
        "/lti/launch", data={"id_token": platform.sign(platform.claims(nonce, **overrides)), "state": state}
    )


def new_nonce() -> str:
    """Return a random nonce."""
    return secrets.token_urlsafe(16)
