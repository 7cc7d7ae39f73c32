"""quizapp: CPR / Basic Life Support self-assessment."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from quizapp import cli, config, edge, error_pages, numfmt, qtypes, security, signed, textfmt, views
from quizapp.extensions import csrf, db, limiter, login_manager, migrate, ping_when_idle
from quizapp.jobs import engine as jobs_engine
from quizapp.views import links

PACKAGE_DIR = Path(__file__).resolve().parent


class QuizApp(Flask):
    """The Flask app, checking each view and hook for `async def` once per worker rather than on every request."""

    def __init__(self, *args, **kwargs) -> None:
        """Create the app with an empty record of the functions checked."""
        super().__init__(*args, **kwargs)
        self.synced: dict[Callable, Callable] = {}

    def ensure_sync(self, func: Callable) -> Callable:
        """Return `func` as Flask runs it (a coroutine function wrapped to run and wait), remembered per function."""
        try:
            return self.synced[func]
        except KeyError:
            synced = self.synced[func] = super().ensure_sync(func)
            return synced


def create_app(test_config: Mapping | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, CLI and error pages."""
    app = QuizApp(
        __name__,
        instance_relative_config=True,
        template_folder=str(config.PROJECT_ROOT / "templates"),
        static_folder=str(config.PROJECT_ROOT / "static"),
    )
    app.config.update(config.DEFAULTS)
    app.config.update(config.from_environment(app.instance_path))
    if test_config is not None:
        app.config.update(test_config)
    config.check(app.config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    edge.register(app)  # first, so no other hook (CSRF, rate limits) sees a control character
    register_extensions(app)
    views.register(app)
    cli.register(app)
    error_pages.register(app)
    security.register(app)
    register_filters(app)
    trust_proxies(app)
    return app


def trust_proxies(app: Flask) -> None:
    """Take the client address and scheme from the TRUSTED_PROXIES nearest X-Forwarded-* entries, none by default."""
    hops = int(app.config["TRUSTED_PROXIES"])
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def register_extensions(app: Flask) -> None:
    """Bind the unbound extensions to this app."""
    db.init_app(app)
    with app.app_context():
        ping_when_idle(db.engine, app.config["DATABASE_PING_IDLE_SECONDS"])
    migrate.init_app(app, db, directory=str(PACKAGE_DIR / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    jobs_engine.init_app(app)


def register_filters(app: Flask) -> None:
    """Make the safe Markdown renderers, the one number format and the question types available to templates."""
    app.add_template_global(qtypes.TYPES, "question_types")
    app.add_template_global(links.link, "link")
    app.add_template_global(signed.csrf_token, "csrf_token")  # Flask-WTF's, with the signature reused per worker
    app.add_template_filter(textfmt.markdown, "markdown")
    app.add_template_filter(numfmt.number, "number")
    app.add_template_filter(textfmt.markdown_inline, "markdown_inline")
