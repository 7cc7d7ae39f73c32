"""Cookies and framing for sessions inside the LMS iframe: SameSite=None; Secure; Partitioned only for LTI."""

from __future__ import annotations

from flask import Flask, Request, Response, has_request_context, request, session
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin

from quizapp import signed

# The session key holding the origins that may frame this session's pages (set by a launch).
FRAME_KEY = "lti_frame"
STATE_COOKIE = "lti_state"


def framed() -> bool:
    """Whether this response belongs to an LTI route or to a session a platform launched."""
    return has_request_context() and (request.blueprint == "lti" or FRAME_KEY in session)


class LtiSessionInterface(SecureCookieSessionInterface):
    """The signed-cookie session, sent cross-site (SameSite=None; Secure; Partitioned) only for LTI sessions."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        """Open the signed cookie's session, a cookie string verified once per worker while in date (`signed`)."""
        return signed.open_session(self, app, request)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        """Set the cookie only when the session changed (or refreshes each request), as Flask does, deciding that first.

        Flask works out the cookie's seven attributes before it finds most responses set no cookie.
        """
        if not self.should_set_cookie(app, session):
            if session.accessed:
                response.vary.add("Cookie")
            return
        super().save_session(app, session, response)

    def get_cookie_samesite(self, app: Flask) -> str | None:
        """SameSite=None inside the LMS iframe, else the app's policy."""
        return "None" if framed() else super().get_cookie_samesite(app)

    def get_cookie_secure(self, app: Flask) -> bool:
        """Browsers take SameSite=None only with Secure."""
        return True if framed() else super().get_cookie_secure(app)

    def get_cookie_partitioned(self, app: Flask) -> bool:
        """Partitioned (CHIPS): kept per top-level site, so browsers blocking third-party cookies still send it."""
        return True if framed() else super().get_cookie_partitioned(app)


def launched() -> bool:
    """Whether a platform's launch started this session (its finished attempts return grades)."""
    return FRAME_KEY in session


def frame_ancestors() -> str | None:
    """Return the origins that may frame this session's pages, or None outside LTI sessions."""
    return session.get(FRAME_KEY) if has_request_context() else None
