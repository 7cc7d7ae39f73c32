"""Rate limits key on the real client: X-Forwarded-For counts only through the configured number of proxies."""

from tests.conftest import make_user


def attempts(make_app, hops: int, forwarded: list[str]) -> list[int]:
    """Post wrong passwords for different accounts from one proxy address, each with its X-Forwarded-For."""
    app = make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute", TRUSTED_PROXIES=str(hops))
    client = app.test_client()
    return [
        client.post(
            "/auth/login",
            data={"email": f"p{i}@example.org", "password": "wrong password!"},
            environ_base={"REMOTE_ADDR": "10.0.0.2"},
            headers={"X-Forwarded-For": header},
        ).status_code
        for i, header in enumerate(forwarded)
    ]


def test_without_trusted_proxies_a_forged_header_does_not_escape_the_limit(make_app, app):
    make_user(app)
    codes = attempts(make_app, 0, [f"198.51.100.{i}" for i in range(4)])
    assert codes == [200, 200, 200, 429]


def test_behind_one_proxy_each_client_has_its_own_limit(make_app, app):
    make_user(app)
    assert attempts(make_app, 1, [f"198.51.100.{i}" for i in range(4)]) == [200, 200, 200, 200]


def test_behind_one_proxy_a_client_cannot_prepend_a_forged_address(make_app, app):
    make_user(app)
    codes = attempts(make_app, 1, [f"203.0.113.{i}, 198.51.100.7" for i in range(4)])
    assert codes == [200, 200, 200, 429]
