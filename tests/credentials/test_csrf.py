"""With CSRF on, as in production: every credentials write without its token is refused (sent back to the page
with a message, as the app does for any missing token) and changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Certificate, CredentialPrivacy, LearnerCard
from tests.credentials.conftest import issue, stored
from tests.support import csrf_token, login_with_token

CARD = {"course": "bls-provider", "provider": "aha", "issued_on": "2025-03-15"}


def count(app, model) -> int:
    """Return how many rows `model` has."""
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def refused(response) -> bool:
    """Whether a POST was turned away for its missing token: back to the page it came from, nothing done."""
    return response.status_code == 303 and response.headers["Location"] == response.request.path


def signed_in(csrf_app, email: str):
    """A client of the CSRF-protected app signed in through the real form."""
    client = csrf_app.test_client()
    assert login_with_token(client, email).status_code == 303
    return client


def test_learner_writes_need_their_token(app, csrf_app, ready):
    """Issuing, the privacy choice, recording and removing a card: refused without a token, done with one."""
    client = signed_in(csrf_app, "learner@example.org")
    writes = [
        (f"/attempts/{ready}/certificate", {"name": "Zoë"}, f"/attempts/{ready}/certificate", Certificate),
        ("/credentials/privacy", {"hide_name": "y"}, "/credentials", CredentialPrivacy),
        ("/credentials/card", CARD, "/credentials/card", LearnerCard),
    ]
    for url, data, page, model in writes:
        assert refused(client.post(url, data=data)), url
        assert count(app, model) == 0, url
        assert client.post(url, data={**data, "csrf_token": csrf_token(client, page)}).status_code == 303, url
        assert count(app, model) == 1, url
    assert refused(client.post("/credentials/card/remove")) and count(app, LearnerCard) == 1
    token = csrf_token(client, "/credentials")
    assert client.post("/credentials/card/remove", data={"csrf_token": token}).status_code == 303
    assert count(app, LearnerCard) == 0


def test_revoking_needs_the_admins_token(app, auth, csrf_app, shipped, ready):
    """An admin's revocation without its token is refused and the certificate stands."""
    code = issue(shipped, ready)
    auth.sign_in("admin", client=app.test_client())
    admin = signed_in(csrf_app, "admin@example.org")
    url = f"/admin/certificates/{code}/revoke"
    assert refused(admin.post(url, data={"reason": "No token here"}))
    assert stored(app, code).revoked_at is None
    assert admin.post(url, data={"reason": "With a token", "csrf_token": csrf_token(admin, url)}).status_code == 303
    assert stored(app, code).revoked_at is not None
