"""The public verification page: what it shows (never the e-mail), hiding the name, unknown codes, rate limits,
and revocation by an admin (audited)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from quizapp.credentials import codes
from quizapp.extensions import db
from quizapp.models import AuditEvent
from tests.credentials.conftest import issue, stored


@pytest.fixture
def code(app, shipped, ready) -> str:
    """The code of the learner's issued certificate."""
    return issue(shipped, ready)


def test_anyone_sees_name_quiz_date_and_result_but_never_the_email(app, code):
    """An anonymous visitor reads the certificate; the learner's e-mail appears nowhere."""
    response = app.test_client().get(f"/verify/{codes.grouped(code)}")
    page = response.get_data(as_text=True)
    cert = stored(app, code)
    assert response.status_code == 200 and 'data-status="valid"' in page
    assert "Zoë Łukasz-Learner" in page and "BLS readiness check" in page
    assert cert.completed_on.strftime("%d %b %Y") in page
    assert "Met the readiness marks for BLS for Healthcare Providers" in page and "100%" in page
    assert "learner@example.org" not in page and "not a certification card" in page
    assert response.headers["Cache-Control"] == "no-store" and response.headers["X-Robots-Tag"] == "noindex"


@pytest.mark.parametrize("shape", [str.lower, codes.grouped, lambda c: " " + codes.grouped(c).lower() + " "])
def test_the_code_is_found_in_any_case_with_or_without_hyphens(app, code, shape):
    """Lower case, hyphens and stray spaces all find the certificate."""
    assert app.test_client().get(f"/verify/{shape(code)}").status_code == 200


def test_the_lookup_form_leads_to_the_page(app, code):
    """Typing the code in the form redirects to its page."""
    response = app.test_client().get("/verify", query_string={"code": code.lower()})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/verify/{codes.grouped(code)}")


@pytest.mark.parametrize("typed", ["ABCDEF-GHJKMN-PQRSTV", "nothing", "x" * 500, "%C3%A9t%C3%A9", "' OR 1=1 --"])
def test_an_unknown_code_is_a_clear_404(app, code, typed):
    """Any code that is not issued, however it looks, gets the same 404 page."""
    response = app.test_client().get(f"/verify/{typed}")
    assert response.status_code == 404
    assert "No certificate has this code" in response.get_data(as_text=True)


def test_the_learner_can_hide_their_name(app, shipped, code):
    """With the setting on, the page says the name is hidden; off again, it shows."""
    assert shipped.post("/credentials/privacy", data={"hide_name": "y"}).status_code == 303
    page = app.test_client().get(f"/verify/{code}").get_data(as_text=True)
    assert "Zoë Łukasz-Learner" not in page and "Hidden at the learner" in page
    assert "checked" in shipped.get("/credentials").get_data(as_text=True)
    shipped.post("/credentials/privacy", data={})
    assert "Zoë Łukasz-Learner" in app.test_client().get(f"/verify/{code}").get_data(as_text=True)


def test_verification_is_rate_limited(make_app, code):
    """Past the limit the page answers 429, whatever code is asked (the limit is per address, not per code)."""
    client = make_app(RATELIMIT_ENABLED=True, VERIFY_RATE_LIMIT="3 per minute").test_client()
    statuses = [client.get(f"/verify/{c}").status_code for c in (code, "unknown1", code, "unknown2")]
    assert statuses == [200, 404, 200, 429]
    assert client.get("/verify", query_string={"code": code}).status_code == 429


def test_an_admin_revokes_with_a_reason_and_it_is_audited(app, auth, code):
    """The revocation needs a reason, is audited, and the public page then says "Revoked"."""
    admin = auth.sign_in("admin", client=app.test_client())
    listing = admin.get("/admin/certificates").get_data(as_text=True)
    assert codes.grouped(code) in listing and "learner@example.org" in listing
    refused = admin.post(f"/admin/certificates/{code}/revoke", data={"reason": ""})
    assert refused.status_code == 422 and stored(app, code).revoked_at is None
    done = admin.post(f"/admin/certificates/{code.lower()}/revoke", data={"reason": "Issued to the wrong account"})
    assert done.status_code == 303
    cert = stored(app, code)
    assert cert.revoked_at is not None and cert.revoked_reason == "Issued to the wrong account"
    with app.app_context():
        event = db.session.execute(select(AuditEvent).where(AuditEvent.action == "certificate.revoke")).scalar_one()
        assert event.target == code and event.details["reason"] == "Issued to the wrong account"
    page = app.test_client().get(f"/verify/{code}").get_data(as_text=True)
    assert 'data-status="revoked"' in page and "Issued to the wrong account" not in page
    again = admin.post(f"/admin/certificates/{code}/revoke", data={"reason": "Twice over"})
    assert again.status_code == 422 and "already revoked" in again.get_data(as_text=True)


def test_only_admins_revoke(app, auth, shipped, code):
    """A learner (even the owner) and an instructor are refused; nothing changes."""
    instructor = auth.sign_in("instructor", client=app.test_client())
    for client in (shipped, instructor):
        assert client.post(f"/admin/certificates/{code}/revoke", data={"reason": "Because I can"}).status_code == 403
    assert stored(app, code).revoked_at is None


def test_unknown_code_to_revoke_is_404(app, auth, code):
    """Revoking a code that does not exist is a 404."""
    admin = auth.sign_in("admin", client=app.test_client())
    assert admin.post("/admin/certificates/NOPE/revoke", data={"reason": "Nothing here"}).status_code == 404
