"""Sign-in is rate limited per address and per account; with Redis, the limit is shared by every worker."""

import socket
import uuid

import pytest
from flask_limiter.util import get_qualified_name

from quizapp import security
from quizapp.extensions import limiter
from tests.conftest import make_user


def limited_app(make_app, **extra):
    """An app with rate limits on (3 per minute for sign-in)."""
    return make_app(**{"RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "3 per minute", **extra})


def attempt_login(client, email="learner@example.org", ip="10.0.0.1"):
    """Post a wrong password from a given address."""
    return client.post(
        "/auth/login", data={"email": email, "password": "wrong password!"}, environ_base={"REMOTE_ADDR": ip}
    )


def test_login_limited_per_address(make_app, app):
    make_user(app)
    client = limited_app(make_app).test_client()
    codes = [attempt_login(client, email=f"u{i}@example.org").status_code for i in range(4)]
    assert codes[:3] == [200, 200, 200] and codes[3] == 429
    assert "Too many sign-in attempts" in attempt_login(client).get_data(as_text=True)


def test_login_limited_per_account_across_addresses(make_app, app):
    make_user(app)
    client = limited_app(make_app).test_client()
    codes = [attempt_login(client, ip=f"10.0.1.{i}").status_code for i in range(4)]
    assert codes[3] == 429


def redis_available() -> bool:
    """Whether this machine's Redis answers."""
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not redis_available(), reason="Redis is not running on 127.0.0.1:6379")
def test_redis_storage_shares_limits_between_workers(make_app, app):
    make_user(app)
    prefix = f"quizapp-test-{uuid.uuid4().hex}"
    settings = {"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/15", "RATELIMIT_KEY_PREFIX": prefix}
    worker_a = limited_app(make_app, **settings).test_client()
    worker_b = limited_app(make_app, **settings).test_client()
    codes = [
        attempt_login(c, email=f"r{i}@example.org", ip="10.9.9.9").status_code
        for i, c in enumerate([worker_a, worker_b, worker_a, worker_b])
    ]
    assert codes == [200, 200, 200, 429]


def test_the_limiter_skips_only_the_hot_requests_that_declare_no_limit(app):
    # `security.unlimited` spares the learner's hot requests the limiter's resolution: were a limit ever declared for
    # one of them (on the view, its blueprint, or for every route), the skip would silently drop it.
    manager = limiter.limit_manager
    assert not manager.application_limits and not manager.default_limits
    with app.test_request_context():
        for endpoint in security.READ_WITH_USER:
            assert not manager.has_hints(endpoint), endpoint
            assert not manager.decorated_limits(get_qualified_name(app.view_functions[endpoint])), endpoint
            assert not manager.blueprint_limits(app, endpoint.partition(".")[0]), endpoint
    with app.test_request_context("/auth/login", method="POST"):
        assert not security.unlimited()  # sign-in keeps its limit


def test_the_hot_requests_skip_the_limiters_check_and_sign_in_keeps_it(make_app, app, monkeypatch):
    make_user(app)
    client = limited_app(make_app).test_client()
    evaluated = []
    scope = limiter.limit_manager.exemption_scope
    monkeypatch.setattr(limiter.limit_manager, "exemption_scope", lambda *a: evaluated.append(a[1]) or scope(*a))
    client.get("/attempts/no-such-attempt/questions/1")
    client.post("/attempts/no-such-attempt/questions/1/autosave")
    assert evaluated == []  # the middleware check returned at once: no limits resolved, none evaluated
    attempt_login(client)
    assert evaluated and set(evaluated) == {"auth.login"}
