"""The admin's list and CSV of certificates issued: one set of filters, formula-safe cells, streamed, audited."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from sqlalchemy import select

from quizapp.credentials import codes, issued
from quizapp.extensions import db
from quizapp.models import Attempt, AuditEvent, Certificate
from tests.conftest import count
from tests.credentials.conftest import issue, stored
from tests.support import counted_queries, csrf_token

FORMULA = '=HYPERLINK("http://attacker.example","Click")'
HEADER = ",".join(issued.COLUMNS)


def add_certificates(app, code: str, specs: list[dict]) -> list[str]:
    """Add certificates like the issued one (each on a copy of its attempt), with the fields in `specs`; their codes."""
    made = []
    with app.app_context():
        model = db.session.execute(select(Certificate).where(Certificate.code == code)).scalar_one()
        base = db.session.get(Attempt, model.attempt_id)
        for n, spec in enumerate(specs, start=2):
            attempt = Attempt(public_id=f"copy{n}", quiz_id=base.quiz_id, user_id=base.user_id, number=n, seed=n)
            attempt.layout, attempt.status = [], "submitted"
            db.session.add(attempt)
            db.session.flush()
            fields = {c: getattr(model, c) for c in ("name", "quiz_title", "track_title", "completed_on", "topics")}
            fields |= {"percent": 90.0, "score": 27.0, "max_score": 30.0, "issued_at": model.issued_at}
            certificate = Certificate(code=codes.new_code(), user_id=base.user_id, attempt_id=attempt.id, **fields)
            for name, value in spec.items():
                setattr(certificate, name, value)
            db.session.add(certificate)
            made.append(certificate.code)
        db.session.commit()
    return made


def download(client, **filters):
    """Post the CSV download with these filters; return the response."""
    return client.post("/admin/certificates/download", data=filters)


def table(response) -> list[dict]:
    """Return the CSV's rows as dicts."""
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def exports(app) -> list[AuditEvent]:
    """Return the audit events of certificate downloads."""
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "certificate.export")))


@pytest.fixture
def admin(app, auth):
    """A signed-in admin."""
    return auth.sign_in("admin", client=app.test_client())


@pytest.fixture
def code(app, shipped, ready) -> str:
    """The code of the learner's certificate, issued through the form."""
    return issue(shipped, ready)


def test_the_csv_streams_every_certificate_with_safe_cells_and_is_audited(app, admin, code):
    [formula] = add_certificates(app, code, [{"name": FORMULA, "issued_at": datetime(2020, 1, 2, 3, 4, 5)}])
    response = download(admin)
    assert response.status_code == 200 and response.is_streamed
    assert response.headers["Content-Type"].startswith("text/csv") and response.headers["Cache-Control"] == "no-store"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment; filename=quizapp-certificates-") and disposition.endswith(".csv")
    assert response.get_data(as_text=True).startswith(HEADER + "\r\n")
    first, second = table(response)  # newest first
    cert = stored(app, code)
    assert first["code"] == codes.grouped(code) and first["learner_email"] == "learner@example.org"
    assert first["name_on_certificate"] == "Zoë Łukasz-Learner" and first["quiz"] == "BLS readiness check"
    assert first["completed_on"] == cert.completed_on.isoformat() and first["percent"] == "100"
    assert first["issued_at"] == cert.issued_at.isoformat() + "Z" and first["revoked_at"] == ""
    assert second["code"] == codes.grouped(formula) and second["issued_at"] == "2020-01-02T03:04:05Z"
    assert second["name_on_certificate"] == "'" + FORMULA  # a spreadsheet shows it as text, never runs it
    [event] = exports(app)
    assert event.details == {"filters": {}, "rows": 2} and event.target == "certificates"


def test_the_list_and_the_csv_apply_the_same_filters(app, admin, code):
    old, revoked, other = add_certificates(
        app,
        code,
        [
            {"issued_at": datetime(2024, 3, 1, 12)},
            {"issued_at": datetime(2024, 6, 1, 23, 59), "revoked_at": datetime(2024, 7, 1), "revoked_reason": "Wrong"},
            {"issued_at": datetime(2024, 6, 2), "quiz_title": "Lay rescuer essentials"},
        ],
    )
    cases = {
        (("state", "revoked"),): {revoked},
        (("state", "valid"), ("until", "2024-12-31")): {old, other},
        (("since", "2024-06-01"), ("until", "2024-06-01")): {revoked},  # the end date is inclusive
        (("quiz", "Lay rescuer essentials"),): {other},
        (("quiz", "BLS readiness check"), ("since", "2024-01-01")): {code, old, revoked},
    }
    for pairs, wanted in cases.items():
        filters = dict(pairs)
        page = admin.get("/admin/certificates", query_string=filters).get_data(as_text=True)
        listed = {c for c in (code, old, revoked, other) if codes.grouped(c) in page}
        assert listed == wanted, filters
        assert f"{len(wanted)} certificate" in page and "match these filters" in page
        for name, value in filters.items():  # the download form carries the filters shown
            assert f'<input type="hidden" name="{name}" value="{value}">' in page
        rows = table(download(admin, **filters))
        assert {codes.normalise(r["code"]) for r in rows} == wanted, filters
    assert [e.details["filters"] for e in exports(app)] == [dict(p) for p in cases]
    assert [e.details["rows"] for e in exports(app)] == [len(w) for w in cases.values()]


def test_the_pager_keeps_the_filters(app, admin, code):
    add_certificates(app, code, [{"revoked_at": datetime(2025, 1, 1), "revoked_reason": "x" * 5}] * 51)
    first = admin.get("/admin/certificates?state=revoked").get_data(as_text=True)
    assert "51 certificates match these filters; page 1 of 2" in first
    assert 'href="/admin/certificates?page=2&amp;state=revoked" rel="next"' in first
    assert "Download these 51 certificates (CSV)" in first
    with counted_queries(app) as statements:
        assert len(table(download(admin, state="revoked"))) == 51
    reads = [s for s in statements if s.lstrip().upper().startswith("SELECT") and "FROM certificate" in s]
    assert len(reads) == 3, reads  # the quiz choices, the count for the audit record, one query for all the rows


@pytest.mark.parametrize(
    "filters",
    [
        {"since": "2024-06-02", "until": "2024-06-01"},
        {"since": "yesterday"},
        {"until": "2024-02-30"},
        {"state": "lost"},
        {"quiz": "No such quiz"},
    ],
)
def test_bad_filters_are_shown_as_errors_and_nothing_is_exported(app, admin, code, filters):
    page = admin.get("/admin/certificates", query_string=filters)
    assert page.status_code == 400 and "Please correct the filters" in page.get_data(as_text=True)
    assert codes.grouped(code) not in page.get_data(as_text=True)
    refused = download(admin, **filters)
    assert refused.status_code == 400 and "Please correct the filters" in refused.get_data(as_text=True)
    assert exports(app) == []


def test_the_download_needs_its_csrf_token_and_an_admin(app, csrf_app, auth, shipped, code):
    client = auth.sign_in("admin", client=csrf_app.test_client())
    refused = client.post("/admin/certificates/download", data={"state": "valid"}, follow_redirects=True)
    assert refused.status_code == 200 and "Your session expired" in refused.get_data(as_text=True)
    assert refused.request.path == "/admin/certificates" and exports(app) == []
    token = csrf_token(client, "/admin/certificates")
    assert client.post("/admin/certificates/download", data={"csrf_token": token}).status_code == 200
    assert count(app, AuditEvent, AuditEvent.action == "certificate.export") == 1
    bookmark = client.get("/admin/certificates/download?state=revoked&page=3")
    assert bookmark.status_code == 303 and bookmark.headers["Location"] == "/admin/certificates?state=revoked"
    assert shipped.post("/admin/certificates/download").status_code == 403
