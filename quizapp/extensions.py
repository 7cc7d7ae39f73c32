"""Flask extensions, created unbound; `create_app` binds them with `init_app`."""

import sqlite3
import time
from functools import partial

import flask_limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import Engine, MetaData, event, exc
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Limiter(flask_limiter.Limiter):
    """Flask-Limiter, whose before-request check a request filter skips outright (not resolved to no limits)."""

    def _check_request_limit(self, callable_name: str | None = None, in_middleware: bool = True) -> None:
        """Check the request's limits, unless a request filter exempts it from the limiter's middleware check."""
        # Resolving an exempt request's limits to none, then evaluating them, was 3.6% of a question page (py-spy).
        if in_middleware and any(exempt() for exempt in self._request_filters):
            return
        super()._check_request_limit(callable_name, in_middleware)


class Base(DeclarativeBase):
    """Declarative base with a constraint naming convention (stable migrations)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


@event.listens_for(Engine, "connect")
def sqlite_pragmas(dbapi_connection, _record) -> None:
    """On SQLite: a write-ahead log, synced at checkpoints, not at each commit (docs/benchmarks.md: durability)."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def ping_when_idle(engine: Engine, seconds: float) -> None:
    """Ping a pooled connection before use only when it sat idle over `seconds` (docs/scaling.md: connection loss)."""
    event.listen(engine, "checkin", _note_return)
    event.listen(engine, "checkout", partial(_ping_if_idle, engine.dialect, seconds))


def _note_return(_dbapi_connection, record) -> None:
    """Remember when a connection went back to the pool."""
    record.info["returned_at"] = time.monotonic()


def _ping_if_idle(dialect, seconds: float, dbapi_connection, record, _proxy) -> None:
    """Ping a connection idle past `seconds`; a dead one invalidates the pool, which hands out a new connection."""
    returned = record.info.get("returned_at")  # None: a new connection, alive by definition
    if returned is None or time.monotonic() - returned <= seconds:
        return
    try:
        dialect.do_ping(dbapi_connection)
    except dialect.loaded_dbapi.Error as err:
        if dialect.is_disconnect(err, dbapi_connection, None):
            raise exc.InvalidatePoolError(f"the database connection was lost while idle: {err}") from err
        raise
