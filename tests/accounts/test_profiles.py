"""accounts.profiles: the intake answers and time zone a learner gave once, stored and read back."""

from __future__ import annotations

from sqlalchemy import func, select

from quizapp.accounts import profiles
from quizapp.extensions import db
from quizapp.models import LearnerProfile, User
from quizapp.recommendation.tracks import CHOICES
from tests.taking.support import person

INTAKE = {"role": "nurse", "employer_requires": CHOICES["employer_requires"][0], "clinical_setting": True}


def test_nothing_is_known_before_the_learner_tells_us(app):
    with app.app_context():
        lee = person()
        assert profiles.of(lee) is None and profiles.intake_of(lee) is None and profiles.time_zone_of(lee) is None


def test_intake_and_time_zone_are_stored_and_read_back_in_a_later_request(app):
    with app.app_context():
        lee_id = person().id
        profiles.remember(db.session.get(User, lee_id), INTAKE, "Europe/Paris")
        db.session.commit()
    with app.app_context():
        lee = db.session.get(User, lee_id)
        # Read back complete, as the intake form wants it: defaults filled in for what was not answered.
        assert profiles.intake_of(lee) == {
            **INTAKE, "cares_for": [], "regulatory": "none", "current_card": "none"
        }
        assert profiles.time_zone_of(lee) == "Europe/Paris"


def test_each_answer_is_kept_until_replaced_and_an_unknown_zone_is_ignored(app):
    with app.app_context():
        lee = person()
        profiles.remember(lee, INTAKE, "Europe/Paris")
        profiles.remember(lee, time_zone="Mars/Olympus_Mons")
        assert profiles.time_zone_of(lee) == "Europe/Paris" and profiles.intake_of(lee)["role"] == "nurse"
        profiles.remember(lee, {**INTAKE, "role": "dental"}, " Asia/Kolkata ")
        assert profiles.intake_of(lee)["role"] == "dental" and profiles.time_zone_of(lee) == "Asia/Kolkata"
        assert db.session.scalar(select(func.count()).select_from(LearnerProfile)) == 1


def test_answers_the_rules_no_longer_accept_are_asked_again(app):
    with app.app_context():
        lee = person()
        profile = profiles.remember(lee, {**INTAKE, "role": "astronaut"})
        assert profiles.intake_of(lee) is None
        profile.intake, profile.time_zone = {}, "Atlantis/Capital"  # a zone zoneinfo no longer knows
        assert profiles.intake_of(lee) is None and profiles.time_zone_of(lee) is None
