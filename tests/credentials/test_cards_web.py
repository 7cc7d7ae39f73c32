"""The learner's card: recorded with its provider's expiry or the learner's own, bad dates refused with clear
messages, days left on the home page in the learner's zone, and the renewal calendar file."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest

from quizapp import clock
from quizapp.accounts import profiles
from quizapp.extensions import db
from quizapp.models import LearnerCard, User

AHA = {"course": "bls-provider", "provider": "aha", "issued_on": "2025-03-15", "expires_on": ""}


@pytest.fixture
def learner(auth):
    """A signed-in learner (no quizzes needed)."""
    return auth.sign_in("learner")


@pytest.fixture
def frozen(monkeypatch):
    """Freeze the server clock at a given naive-UTC time."""

    def freeze(moment: datetime) -> None:
        monkeypatch.setattr(clock, "now", lambda: moment)

    freeze(datetime(2026, 3, 1, 12, 0))
    return freeze


def card_of(app) -> LearnerCard | None:
    """Return the only learner card, or None."""
    with app.app_context():
        return db.session.execute(db.select(LearnerCard)).scalar_one_or_none()


def set_zone(app, zone: str) -> None:
    """Store the learner's time zone as the browser would report it."""
    with app.app_context():
        profiles.remember(db.session.execute(db.select(User)).scalar_one(), time_zone=zone)
        db.session.commit()


def test_an_aha_card_expires_at_the_end_of_the_month_two_years_on(app, learner, frozen):
    assert learner.post("/credentials/card", data=AHA).status_code == 303
    card = card_of(app)
    assert card.expires_on == date(2027, 3, 31) and not card.expiry_overridden
    page = learner.get("/credentials").get_data(as_text=True)
    assert "31 Mar 2027" in page and "(the provider's rule)" in page and "395 days left" in page


def test_the_learner_can_override_the_expiry(app, learner, frozen):
    learner.post("/credentials/card", data={**AHA, "expires_on": "2027-01-15"})
    card = card_of(app)
    assert card.expires_on == date(2027, 1, 15) and card.expiry_overridden
    form = learner.get("/credentials/card").get_data(as_text=True)
    assert 'value="2027-01-15"' in form and 'value="2025-03-15"' in form
    learner.post("/credentials/card", data=AHA)  # emptied again: back to the provider's rule
    assert card_of(app).expires_on == date(2027, 3, 31)


def test_another_provider_needs_its_name_and_keeps_it(app, learner, frozen):
    data = {**AHA, "course": "other", "provider": "other"}
    response = learner.post("/credentials/card", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Enter the course name." in page and "Enter the provider name." in page
    assert card_of(app) is None
    learner.post("/credentials/card", data={**data, "course_other": "Lifeguard CPR", "provider_other": "RLSS"})
    card = card_of(app)
    assert (card.course_other, card.provider_other, card.expires_on) == ("Lifeguard CPR", "RLSS", date(2027, 3, 15))


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"issued_on": "2026-03-02"}, "issued_on", "The issue date cannot be in the future (today is 2026-03-01)."),
        ({"expires_on": "2025-03-14"}, "expires_on", "The expiry date cannot be before the issue date."),
        ({"issued_on": "15/03/2025"}, "issued_on", "Enter the issue date as year-month-day, for example 2025-03-15."),
        ({"issued_on": "2025-02-30"}, "issued_on", "Enter the issue date as year-month-day, for example 2025-03-15."),
        ({"issued_on": ""}, "issued_on", "Enter the issue date."),
        ({"expires_on": "soon"}, "expires_on", "Enter the expiry date as year-month-day, for example 2025-03-15."),
        ({"provider": "nasa"}, "provider", "Not a valid choice."),
    ],
)
def test_bad_input_is_refused_with_a_clear_announced_message(app, learner, frozen, change, field, message):
    """Each problem is sent back (422) beside its field and in the alert summary; nothing is stored."""
    response = learner.post("/credentials/card", data={**AHA, **change})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and card_of(app) is None
    assert f'id="{field}-error">{message}' in page
    assert 'role="alert"' in page and f'href="#{field}">{message}' in page
    assert re.search(f'aria-describedby="[^"]*{field}-error"', page) and 'aria-invalid="true"' in page


def test_today_is_the_learners_today(app, learner, frozen):
    """At 11:30 UTC on 1 March it is already 2 March in Auckland: a card issued "today" there is accepted."""
    frozen(datetime(2026, 3, 1, 11, 30))
    assert learner.post("/credentials/card", data={**AHA, "issued_on": "2026-03-02"}).status_code == 422
    set_zone(app, "Pacific/Auckland")
    assert learner.post("/credentials/card", data={**AHA, "issued_on": "2026-03-02"}).status_code == 303


def test_the_home_page_shows_days_left_then_expired(app, learner, frozen):
    page = learner.get("/").get_data(as_text=True)
    assert "Record your card" in page
    learner.post("/credentials/card", data={**AHA, "expires_on": "2026-03-31"})
    assert 'data-days-left="30"' in learner.get("/").get_data(as_text=True)
    frozen(datetime(2026, 3, 31, 23, 0))
    assert "Expires today" in learner.get("/").get_data(as_text=True)
    frozen(datetime(2026, 3, 31, 23, 0) + timedelta(hours=2))
    page = learner.get("/").get_data(as_text=True)
    assert "Expired 1 day ago" in page and "book a renewal course" in page


def test_the_calendar_file(app, learner, frozen):
    assert learner.get("/credentials/card/renewal.ics").status_code == 404
    learner.post("/credentials/card", data=AHA)
    response = learner.get("/credentials/card/renewal.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    body = response.data
    assert b"DTSTART;VALUE=DATE:20270331\r\n" in body and b"\r\nUID:card-renewal-" in body
    assert b"localhost/quizzes/bls-readiness" in body.replace(b"\r\n ", b"")
    assert learner.get("/credentials/card/renewal.ics").data == body


def test_removing_the_card(app, learner, frozen):
    learner.post("/credentials/card", data=AHA)
    assert learner.post("/credentials/card/remove").status_code == 303
    assert card_of(app) is None


def test_cards_are_private(app, learner, auth, frozen):
    """Another learner sees and changes only their own card."""
    learner.post("/credentials/card", data=AHA)
    other = auth.sign_in("learner", email="other@example.org", client=app.test_client())
    assert "Record your card" in other.get("/").get_data(as_text=True)
    assert other.get("/credentials/card/renewal.ics").status_code == 404
    other.post("/credentials/card/remove")
    assert card_of(app) is not None
