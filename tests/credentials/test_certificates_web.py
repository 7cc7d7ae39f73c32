"""A certificate is offered exactly when the result page says "Ready", is issued once, and only its owner gets it."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from tests.credentials.conftest import COACH, NURSE, issue, stored, take


def readiness_shown(page: str) -> str | None:
    """Return the readiness the result page shows (data-readiness), or None without a recommendation."""
    found = re.search(r'data-readiness="([^"]+)"', page)
    return found.group(1) if found else None


@pytest.mark.parametrize(
    ("slug", "intake", "wrong", "offered"),
    [
        ("bls-readiness", NURSE, set(), True),
        ("bls-readiness", NURSE, {"bvm"}, False),
        ("lay-rescuer-essentials", COACH, set(), True),
        ("lay-rescuer-essentials", COACH, {"team-cpr"}, False),
        ("bls-readiness", COACH, set(), False),  # a provider exam does not judge a lay course: "not assessed"
    ],
)
def test_offer_follows_the_result_pages_readiness(app, shipped, slug, intake, wrong, offered):
    """The offer appears on the result page if and only if that page says "Ready"; issuing obeys the same rule."""
    pid = take(shipped, app, slug, intake, wrong_topics=wrong)
    page = shipped.get(f"/attempts/{pid}/result").get_data(as_text=True)
    assert (readiness_shown(page) == "ready") is offered
    assert ("Get a certificate" in page) is offered
    response = shipped.post(f"/attempts/{pid}/certificate", data={"name": "Zoë"})
    assert response.status_code == (303 if offered else 409)
    if not offered:
        assert "does not" in response.get_data(as_text=True)


def test_issued_once_with_the_chosen_name_and_the_result_pages_figures(app, shipped, ready):
    """Issuing twice gives the same certificate; it stores the name typed, the score and every topic row."""
    form = shipped.get(f"/attempts/{ready}/certificate").get_data(as_text=True)
    assert 'value="Zoë Learner"' in form and "not a certification card" in form
    code = issue(shipped, ready)
    again = shipped.post(f"/attempts/{ready}/certificate", data={"name": "Someone Else"})
    assert again.headers["Location"].endswith(f"/certificates/{code}")
    cert = stored(app, code)
    assert cert.name == "Zoë Łukasz-Learner" and cert.percent == 100.0
    page = shipped.get(f"/attempts/{ready}/result").get_data(as_text=True)
    assert sorted(label for label, _ in cert.topics) == ["Airway", "Bag-valve-mask (BVM)", "Team CPR"]
    assert all(f"{label}" in page for label, _ in cert.topics)
    assert f"/certificates/{code}.pdf" in page and "Get a certificate" not in page


@pytest.mark.parametrize("name", ["", "Zoë\nLearner", "x" * 101, "Zoë\u202eLearner"])
def test_a_bad_name_is_refused_with_a_message_and_nothing_issued(app, shipped, ready, name):
    """An empty, multi-line, too long or direction-changing name is sent back (422) and issues nothing."""
    response = shipped.post(f"/attempts/{ready}/certificate", data={"name": name})
    assert response.status_code == 422
    assert 'role="alert"' in response.get_data(as_text=True)
    assert "Get a certificate" in shipped.get(f"/attempts/{ready}/result").get_data(as_text=True)


def test_the_pdf_is_the_same_file_every_time_and_says_what_it_is(app, shipped, ready, tmp_path):
    """Two downloads are byte-identical; the PDF names the learner, the track and the verification address."""
    code = issue(shipped, ready)
    first, second = shipped.get(f"/certificates/{code}.pdf"), shipped.get(f"/certificates/{code}.pdf")
    assert first.status_code == 200 and first.mimetype == "application/pdf"
    assert "attachment" in first.headers["Content-Disposition"]
    assert first.data == second.data
    (tmp_path / "c.pdf").write_bytes(first.data)
    text = PdfReader(tmp_path / "c.pdf").pages[0].extract_text()
    assert "Self-assessment — not a certification card" in text and "Zoë Łukasz-Learner" in text
    assert "BLS for Healthcare Providers" in text
    grouped = "-".join(code[i : i + 6] for i in (0, 6, 12))
    assert f"http://localhost/verify/{grouped}" in text


def test_another_learner_gets_404_everywhere(app, shipped, ready, auth, make_app):
    """The certificate page, the PDF and the issuing form of someone else's attempt are all 404."""
    code = issue(shipped, ready)
    other = auth.sign_in("learner", email="other@example.org", client=app.test_client())
    for url in (f"/certificates/{code}", f"/certificates/{code}.pdf", f"/attempts/{ready}/certificate"):
        assert other.get(url).status_code == 404, url
    assert other.post(f"/attempts/{ready}/certificate", data={"name": "Thief"}).status_code == 404
    anonymous = app.test_client()
    assert anonymous.get(f"/certificates/{code}.pdf").status_code == 302


def test_history_links_the_certificate_or_the_way_to_get_one(app, shipped, ready):
    """The history offers "Get a certificate" for a ready result, then the PDF once issued."""
    page = shipped.get("/history").get_data(as_text=True)
    assert f"/attempts/{ready}/certificate" in page
    code = issue(shipped, ready)
    page = shipped.get("/history").get_data(as_text=True)
    assert f"/certificates/{code}.pdf" in page and f"/attempts/{ready}/certificate" not in page


def test_the_credentials_page_lists_certificates(app, shipped, ready):
    """The learner's credentials page links each certificate and its details."""
    code = issue(shipped, ready)
    page = shipped.get("/credentials").get_data(as_text=True)
    assert f"/certificates/{code}.pdf" in page and f'/certificates/{code}"' in page
