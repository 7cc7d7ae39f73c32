"""Every instructor page refuses learners (403) and sends anonymous visitors to sign in; POSTs need a CSRF token."""

import re

import pytest

from tests.support import TOKEN, csrf_token, login_with_token

KEY = "demo-single"
PNG_NAME = "0" * 64 + ".png"
ROUTES = {
    "author.index": "/author/",
    "author.bank": "/author/banks/demo",
    "author.new_question": "/author/banks/demo/questions/new",
    "author.edit_question": f"/author/questions/{KEY}/edit",
    "author.retire_question": f"/author/questions/{KEY}/retire",
    "author.restore_question": f"/author/questions/{KEY}/restore",
    "author.preview_question": f"/author/questions/{KEY}/preview",
    "author.history": f"/author/questions/{KEY}/history",
    "author.regrade_question": f"/author/questions/{KEY}/regrade",
    "author.images": "/author/images",
    "author.image": f"/author/images/{PNG_NAME}",
}


def call(client, method: str, url: str):
    """Send a GET or an (empty) POST."""
    return client.get(url) if method == "GET" else client.post(url, data={"version": "1"})


def methods(app, endpoint: str) -> set[str]:
    """Return the methods the endpoint answers (besides HEAD and OPTIONS)."""
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    return set(rule.methods) - {"HEAD", "OPTIONS"}


def test_the_table_covers_every_route_of_this_area(app):
    mine = {
        "index",
        "bank",
        "new_question",
        "edit_question",
        "retire_question",
        "restore_question",
        "preview_question",
        "history",
        "regrade_question",
        "images",
        "image",
    }
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert {f"author.{name}" for name in mine} <= endpoints
    assert set(ROUTES) == {f"author.{name}" for name in mine}


@pytest.mark.parametrize("endpoint", list(ROUTES))
def test_anonymous_visitors_are_sent_to_sign_in(app, client, demo, endpoint):
    url = ROUTES[endpoint]
    for m in methods(app, endpoint):
        response = call(client, m, url)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"], (m, url)


@pytest.mark.parametrize("endpoint", list(ROUTES))
def test_learners_get_403(app, learner, endpoint):
    url = ROUTES[endpoint]
    for m in methods(app, endpoint):
        assert call(learner, m, url).status_code == 403, (m, url)


def test_media_needs_a_signed_in_user(client):
    response = client.get(f"/media/{PNG_NAME}")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_admins_may_author(auth, demo):
    client = auth.sign_in("admin")
    assert client.get("/author/").status_code == 200
    assert client.get(f"/author/questions/{KEY}/edit").status_code == 200


def test_posts_without_a_csrf_token_change_nothing(auth, csrf_app, demo):
    client = auth.sign_in("instructor", "author@example.org", client=csrf_app.test_client())
    response = client.post(f"/author/questions/{KEY}/retire")
    assert response.status_code == 303 and "/retire" in response.headers["Location"]  # back, with a message
    edit = client.get(f"/author/questions/{KEY}/edit").get_data(as_text=True)
    assert "Retire demo-single" in edit and 'name="csrf_token"' in edit
    token = csrf_token(client, f"/author/questions/{KEY}/edit")
    assert client.post(f"/author/questions/{KEY}/retire", data={"csrf_token": token}).status_code == 303
    assert "Restore demo-single" in client.get(f"/author/questions/{KEY}/edit").get_data(as_text=True)


def test_every_post_form_on_these_pages_carries_a_token(auth, csrf_app, app, demo):
    from tests.authoring.test_regrade import correct_the_key, sit

    plain = auth.sign_in("instructor", "author@example.org")
    sit(app, "ann@example.org")
    correct_the_key(plain)  # now there is something to regrade
    client = csrf_app.test_client()
    assert login_with_token(client, "author@example.org").status_code == 303
    pages = [
        "/author/banks/demo/questions/new",
        f"/author/questions/{KEY}/edit",
        f"/author/questions/{KEY}/preview",
        f"/author/questions/{KEY}/regrade",
        "/author/images",
    ]
    for url in pages:
        html = client.get(url).get_data(as_text=True)
        forms = re.findall(r'<form method="post".*?</form>', html, re.S)
        assert forms, url
        for form in forms:
            assert 'name="csrf_token"' in form, (url, form[:200])
    regrade = client.get(f"/author/questions/{KEY}/regrade").get_data(as_text=True)
    form = re.findall(r'<form method="post".*?</form>', regrade, re.S)[0]
    token = TOKEN.search(form).group(1)
    response = client.post(f"/author/questions/{KEY}/regrade", data={"version": "2", "csrf_token": token})
    assert response.status_code == 303 and "Regraded 1 attempt" in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
