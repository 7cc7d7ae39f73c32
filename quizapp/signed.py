"""Signatures checked or made once per worker: the session cookie verified, the session's CSRF token signed.

A cookie string this worker verified lately verifies the same again until its age passes the session lifetime, and
the session's CSRF token signed lately is as valid as one signed now: the hot pages skip the HMAC, the decoding and
the signing (about a seventh of a question page's CPU). Both caches are per app (its secret key) and bounded.
"""

from __future__ import annotations

import copy
import time

from flask import Flask, Request, current_app, g, session
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_wtf.csrf import generate_csrf
from itsdangerous import BadSignature

CACHE_SIZE = 4096
CSRF_FIELD = "WTF_CSRF_FIELD_NAME"


def open_session(interface: SecureCookieSessionInterface, app: Flask, request: Request) -> SecureCookieSession | None:
    """Return the session of the request's signed cookie, verifying a cookie string once while it is in date."""
    if not app.secret_key:
        return None
    value = request.cookies.get(interface.get_cookie_name(app))
    if not value:
        return interface.session_class()
    verified = _cache(app, "sessions")
    found = verified.get(value)
    if found is not None and time.time() < found[1]:
        return interface.session_class(copy.deepcopy(found[0]))  # a request may change nested values in place
    serializer = interface.get_signing_serializer(app)
    lifetime = int(app.permanent_session_lifetime.total_seconds())
    try:
        data, signed_at = serializer.loads(value, max_age=lifetime, return_timestamp=True)
    except BadSignature:
        verified.pop(value, None)
        return interface.session_class()
    _keep(verified, value, (copy.deepcopy(data), signed_at.timestamp() + lifetime))
    return interface.session_class(data)


def csrf_token() -> str:
    """Return the session's signed CSRF token (as Flask-WTF's `generate_csrf`), reusing this worker's signature."""
    field = current_app.config.get(CSRF_FIELD, "csrf_token")
    if field in g:  # where Flask-WTF keeps this request's token
        return generate_csrf()
    cache = _cache(current_app, "csrf")
    found = cache.get(session.get(field))
    limit = current_app.config.get("WTF_CSRF_TIME_LIMIT")
    # Without a time limit every signature of the token is valid for the session's life; with one, a signature is
    # reused for at most a sixtieth of it (a minute of an hour), so a page's token keeps nearly all of its time.
    if found is not None and (limit is None or time.time() - found[1] < limit / 60):
        setattr(g, field, found[0])
        return found[0]
    token = generate_csrf()
    _keep(cache, session[field], (token, time.time()))
    return token


def _cache(app: Flask, name: str) -> dict:
    """Return one of this app's signature caches."""
    return app.extensions.setdefault(f"quizapp.signed.{name}", {})


def _keep(cache: dict, key: str, value: tuple) -> None:
    """Store an entry, emptying the cache first when it is full."""
    if len(cache) >= CACHE_SIZE:
        cache.clear()
    cache[key] = value
