"""Accounts: register, sign in, sign out, session versions, safe redirects."""


import pytest

from quizapp.extensions import db
from quizapp.models import User
from tests.conftest import PASSWORD, login, make_user


def register(client, **overrides):
    """Post the registration form."""
    data = {"display_name": "Ada", "email": "ada@example.org", "password": PASSWORD, "confirm": PASSWORD, **overrides}
    return client.post("/auth/register", data=data)


def test_register_then_sign_in_with_the_address_filled_in(app, client):
    response = register(client, email="Ada@Example.org")
    assert response.status_code == 303 and response.headers["Location"] == "/auth/login"
    page = client.get("/auth/login").get_data(as_text=True)
    assert "Your account is ready" in page and 'value="ada@example.org"' in page
    assert login(client, "ada@example.org").status_code == 303
    assert "Sign out" in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"email": "not-an-email"}, "Invalid email"),
        ({"password": "short", "confirm": "short"}, "between 8 and 128"),
        ({"password": "x" * 129, "confirm": "x" * 129}, "between 8 and 128"),
        ({"password": "password123", "confirm": "password123"}, "too common"),
        ({"confirm": "something else"}, "do not match"),
        ({"display_name": ""}, "This field is required"),
    ],
)
def test_register_refuses_bad_input(client, overrides, message):
    response = register(client, **overrides)
    assert response.status_code == 200 and message in response.get_data(as_text=True)


def test_register_answers_the_same_for_a_new_and_a_taken_address(app, client, caplog):
    uid = make_user(app)
    with app.app_context():
        owner = db.session.get(User, uid)
        before = (owner.password_hash, owner.display_name, owner.session_version, owner.role, owner.active)
    answers = []
    for email in ("new@example.org", "LEARNER@example.org"):  # a free address, then the owner's, differently cased
        visitor = app.test_client()
        with caplog.at_level("WARNING", logger="quizapp"):
            response = register(visitor, email=email, display_name="Mallory", password="another long phrase",
                                confirm="another long phrase")
        page = visitor.get(response.headers["Location"]).get_data(as_text=True)
        answers.append((response.status_code, response.headers["Location"], page.replace(email.lower(), "EMAIL")))
    assert answers[0] == answers[1]
    with app.app_context():
        owner = db.session.get(User, uid)
        assert (owner.password_hash, owner.display_name, owner.session_version, owner.role, owner.active) == before
    assert login(app.test_client(), "new@example.org", "another long phrase").status_code == 303
    assert "not right" in login(app.test_client(), password="another long phrase").get_data(as_text=True)
    [logged] = [r.getMessage() for r in caplog.records if "sign-up" in r.getMessage()]
    assert f"account {uid}" in logged and "learner@example.org" not in logged


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"email": "p\u0430ypal@example.org"}, "different alphabets"),
        ({"display_name": "Ada\u202enimda"}, "change the text direction"),
        ({"display_name": "Ada\r\nAdmin"}, "on one line"),
    ],
)
def test_register_refuses_look_alikes_and_hidden_controls(app, client, overrides, message):
    response = register(client, **overrides)
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(db.select(User)).first() is None


def test_fullwidth_address_is_the_same_account(app, client):
    register(client, email="ａｄａ@example.org")
    assert login(app.test_client(), "ADA@example.org").status_code == 303
    register(app.test_client(), email="ada@example.org", display_name="Other")
    with app.app_context():
        assert [u.email for u in db.session.execute(db.select(User)).scalars()] == ["ada@example.org"]


def test_same_message_for_unknown_email_and_wrong_password(app, client):
    make_user(app)
    wrong = login(client, password="wrong password here").get_data(as_text=True)
    unknown = login(client, email="nobody@example.org").get_data(as_text=True)
    assert "The email or password is not right." in wrong and "The email or password is not right." in unknown


def test_logout_ends_other_sessions(app, client):
    make_user(app)
    other = app.test_client()
    login(client)
    login(other)
    assert other.get("/history").status_code == 200
    client.post("/auth/logout")
    assert other.get("/history").status_code == 302  # the replayed old session is refused


def test_deactivated_user_cannot_sign_in(app, client):
    uid = make_user(app)
    with app.app_context():
        db.session.get(User, uid).active = False
        db.session.commit()
    assert "not right" in login(client).get_data(as_text=True)


@pytest.mark.parametrize(
    ("target", "expected"),
    [("/history", "/history"), ("https://evil.example/", "/"), ("//evil.example/", "/"), ("/\\evil.example", "/")],
)
def test_next_redirect_stays_on_site(app, client, target, expected):
    make_user(app)
    response = client.post(f"/auth/login?next={target}", data={"email": "learner@example.org", "password": PASSWORD})
    assert response.headers["Location"] == expected


@pytest.mark.parametrize(
    "target",
    ["/history\r\nSet-Cookie: x=1", "/history\nx", "/history\r", "/\t/evil.example", "/\n/evil.example", " /history"],
)
def test_next_with_line_breaks_or_tabs_falls_back_to_the_home_page(app, client, target):
    make_user(app)
    credentials = {"email": "learner@example.org", "password": PASSWORD}
    response = client.post("/auth/login", query_string={"next": target}, data=credentials)
    assert response.status_code == 303 and response.headers["Location"] == "/"
    signed_in = client.get("/auth/login", query_string={"next": target})  # already signed in: straight on
    assert signed_in.status_code == 302 and signed_in.headers["Location"] == "/"


CROSS_SITE = {"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}
ORIGIN_ONLY = {"Origin": "https://evil.example"}


@pytest.mark.parametrize("headers", [CROSS_SITE, ORIGIN_ONLY, {}], ids=["fetch", "origin", "none"])
@pytest.mark.parametrize("csrf", [True, False], ids=["csrf", "no-csrf"])
def test_logout_without_a_session_leaves_the_cookie_alone(make_app, headers, csrf):
    client = make_app(WTF_CSRF_ENABLED=csrf).test_client()
    response = client.post("/auth/logout", headers=headers)
    assert response.status_code == 303 and "Set-Cookie" not in response.headers
    assert client.get(response.headers["Location"]).status_code == 200  # a GET page, not a 405


def test_cross_site_post_keeps_the_session_and_its_cookie(auth, csrf_app, demo):
    client = auth.sign_in("learner", client=csrf_app.test_client())
    for url in ("/auth/logout", "/quizzes/demo-exam/start"):
        response = client.post(url, headers=CROSS_SITE)
        assert response.status_code == 303 and "Set-Cookie" not in response.headers, url
    assert client.get("/history").status_code == 200  # still signed in


def test_logout_is_post_only(client):
    assert client.get("/auth/logout").status_code == 405


def test_password_change_ends_other_sessions_and_keeps_this_one(app, client):
    make_user(app)
    other = app.test_client()
    login(client)
    login(other)
    wrong = client.post("/auth/password", data={"current": "nope nope", "password": "a new long phrase",
                                                "confirm": "a new long phrase"})
    assert "not your current password" in wrong.get_data(as_text=True)
    weak = client.post("/auth/password", data={"current": PASSWORD, "password": "password1", "confirm": "password1"})
    assert "too common" in weak.get_data(as_text=True)
    ok = client.post("/auth/password", data={"current": PASSWORD, "password": "a new long phrase",
                                             "confirm": "a new long phrase"})
    assert ok.status_code == 303
    assert client.get("/history").status_code == 200  # this session continues
    assert other.get("/history").status_code == 302  # the other one is refused
    client.post("/auth/logout")
    assert login(client, password="a new long phrase").status_code == 303


def test_login_replaces_the_session_cookie(app, client):
    make_user(app)
    client.get("/auth/login")
    before = client.get_cookie("session")
    login(client)
    after = client.get_cookie("session")
    assert after is not None and (before is None or before.value != after.value)
