"""Browser fixtures: one live server over its own migrated SQLite file, and one Debian Chromium per run.

The server runs in this process (werkzeug in a thread), so a test can read the database directly and move the
server's clock. Each test gets a fresh browser context; signed-in contexts reuse a stored login per user.
"""

from __future__ import annotations

import os
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from flask_migrate import upgrade
from werkzeug.serving import WSGIRequestHandler, make_server

from quizapp import clock, create_app
from tests.browser import seed, support
from tests.browser.support import DESKTOP
from tests.conftest import PROJECT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _skip_reason() -> str | None:
    """Say why the browser tests cannot run here, or None when they can."""
    if os.environ.get("TEST_DATABASE_URL"):
        return "browser tests run once, on the SQLite pass (they start their own server over their own SQLite file)"
    if not CHROMIUM.exists():
        return f"Debian's Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -r requirements-dev.txt)"
    return None


def pytest_collection_modifyitems(config, items):
    """Skip every browser test, with the reason, when Chromium or Playwright is missing."""
    reason = _skip_reason()
    if reason is None:
        return
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=reason))


class ServerClock:
    """The live server's clock: real time plus an offset a test can move."""

    def __init__(self) -> None:
        self.offset = timedelta(0)
        self.real_now = clock.now

    def now(self):
        """Return the shifted time (replaces quizapp.clock.now while the server runs)."""
        return self.real_now() + self.offset


class QuietHandler(WSGIRequestHandler):
    """Keep the request log out of the test output."""

    def log_request(self, *args, **kwargs) -> None:
        """Log nothing."""


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """The app over its own migrated SQLite file with the real banks, staff accounts and some demo attempts."""
    folder = tmp_path_factory.mktemp("browser")
    app = create_app(
        {
            "QUIZAPP_ENV": "testing",
            "SECRET_KEY": "browser-test-secret-key",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'browser.sqlite'}",
            "RATELIMIT_ENABLED": False,
            "QUESTIONS_DIR": str(PROJECT / "questions"),
            "EXPORT_DIR": str(folder / "exports"),
        }
    )
    with app.app_context():
        upgrade()
        seed.populate(folder)
    return app


@pytest.fixture(scope="session")
def server_clock():
    """Replace the server's clock for the whole run; tests move it with `shifted_clock`."""
    moved = ServerClock()
    clock.now = moved.now
    yield moved
    clock.now = moved.real_now


@pytest.fixture
def shifted_clock(server_clock):
    """The server clock, put back to real time after the test."""
    yield server_clock
    server_clock.offset = timedelta(0)


def buffered(app):
    """Send each response whole, so a file is closed even when the browser drops the connection."""

    # werkzeug's development server skips closing the response when the client hangs up while it drains the
    # request (a favicon fetch cut short by a closing context), leaving the static file open until garbage collection.
    def wsgi(environ, start_response):
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()

    return wsgi


@pytest.fixture(scope="session")
def base_url(live_app, server_clock) -> str:
    """Serve the app on a free loopback port for the whole run."""
    server = make_server("127.0.0.1", 0, buffered(live_app), threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the run (Playwright's own driver; no browser download)."""
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS)
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture(scope="session")
def logins(browser, base_url, tmp_path_factory):
    """Sign in once per account and keep the cookies, so tests start signed in without the form."""
    folder = tmp_path_factory.mktemp("logins")
    stored: dict[str, str] = {}

    def storage_for(email: str) -> str:
        if email not in stored:
            context = browser.new_context(base_url=base_url)
            page = context.new_page()
            support.sign_in(page, email)
            stored[email] = str(folder / f"{len(stored)}.json")
            context.storage_state(path=stored[email])
            context.close()
        return stored[email]

    return storage_for


@pytest.fixture
def new_context(browser, base_url, logins):
    """Make browser contexts (closed after the test): optionally signed in as `email`, at a viewport size."""
    made = []

    def make(email: str | None = None, viewport: dict = DESKTOP, **options):
        state = logins(email) if email else None
        context = browser.new_context(base_url=base_url, viewport=viewport, storage_state=state, **options)
        context.set_default_timeout(10_000)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


def _console_error(page, message) -> None:
    """Keep a console error, except a page's own 4xx status (a form sent back with errors, the 404 page)."""
    if message.type == "error" and not message.text.startswith("Failed to load resource"):
        page.console_errors.append(message.text)


ASSETS = {"script", "stylesheet", "image", "font", "media"}


def _failed_asset(page, response) -> None:
    """Keep a script, style, image or font the server refused or could not find."""
    # Assets only: the autosave's refusals are answers the page shows, not failures.
    if response.status >= 400 and response.request.resource_type in ASSETS:
        page.console_errors.append(f"{response.status} {response.url}")


@pytest.fixture
def watched(base_url):
    """Record what each page asks for outside the app, console errors (CSP reports included) and failed assets."""
    pages = []

    def watch(page):
        page.outside, page.console_errors = [], []
        page.on("request", lambda r: None if r.url.startswith((base_url, "data:")) else page.outside.append(r.url))
        page.on("console", lambda message: _console_error(page, message))
        page.on("pageerror", lambda error: page.console_errors.append(str(error)))
        page.on("response", lambda response: _failed_asset(page, response))
        pages.append(page)
        return page

    yield watch
    for page in pages:
        assert page.outside == [], f"assets not served by the app: {page.outside}"


@pytest.fixture
def page(new_context, watched):
    """An anonymous desktop page."""
    return watched(new_context().new_page())


@pytest.fixture
def learner_email(live_app) -> str:
    """A new learner account (made with the users service) for this test."""
    with live_app.app_context():
        return seed.new_learner()


@pytest.fixture
def learner_page(new_context, watched, learner_email):
    """A desktop page signed in as a fresh learner."""
    return watched(new_context(learner_email).new_page())


@pytest.fixture(scope="session")
def seeded(live_app) -> dict:
    """The seeded learner's attempts: a submitted readiness check, an open every-type attempt, a checked answer."""
    with live_app.app_context():
        ids = seed.learner_attempts()
    return {**ids, "types": support.first_of_each_type(live_app, ids["every"])}
