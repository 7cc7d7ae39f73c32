"""The track intake: who the learner is and what their employer asks for."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from quizapp.qtypes.multiple import CheckboxesField
from quizapp.recommendation.tracks import CHOICES, TrackRules

QUESTIONS = {
    "role": "Which best describes your role?",
    "employer_requires": "What does your employer or the job posting ask for?",
    "cares_for": "Whom might you need to help? Choose all that apply.",
    "regulatory": "Does a rule or licence require your training?",
    "current_card": "Which CPR card do you hold now (still valid)?",
}
EXTRA_LABELS = {
    "employer_requires": {
        "bls": "BLS or \u201cCPR for Healthcare Providers\u201d",
        "cpr": "CPR/AED, not BLS",
        "none": "Nothing: I want to be prepared",
        "unsure": "I am not sure",
    },
    "cares_for": {"adults": "Adults", "children": "Children (1 year to puberty)", "infants": "Infants (under 1 year)"},
    "regulatory": {"none": "No"},
    "current_card": {"none": "None"},
}


class IntakeForm(FlaskForm):
    """The intake questions; option labels come from the track rules file."""

    role = SelectField(QUESTIONS["role"], validators=[InputRequired("Choose your role.")])
    employer_requires = RadioField(QUESTIONS["employer_requires"], validators=[InputRequired("Choose one.")])
    clinical_setting = BooleanField(
        "I work, or will work, in a clinical setting (hospital, clinic, EMS, dental or pharmacy practice)"
    )
    cares_for = CheckboxesField(QUESTIONS["cares_for"])
    regulatory = RadioField(QUESTIONS["regulatory"], default="none")
    current_card = RadioField(QUESTIONS["current_card"], default="none")

    def use_rules(self, rules: TrackRules) -> IntakeForm:
        """Fill each field's options from the contract values, labelled in plain language."""
        for name, choices in options(rules).items():
            getattr(self, name).choices = choices
        return self

    def intake(self) -> dict:
        """Return the answers as the recommender's intake dict."""
        return {name: getattr(self, name).data for name in (*CHOICES, "clinical_setting")}


# The options of each field, labelled by the rules object current when built (kept, so its id is never reused).
_OPTIONS: dict[int, tuple[TrackRules, dict[str, list[SelectChoice]]]] = {}


def options(rules: TrackRules) -> dict[str, list[SelectChoice]]:
    """Return each field's options labelled by `rules`, built once per rules file read (forms only read them)."""
    cached = _OPTIONS.get(id(rules))
    if cached is None or cached[0] is not rules:
        built = {name: [SelectChoice(v, label(rules, name, v)) for v in values] for name, values in CHOICES.items()}
        built["role"] = [SelectChoice("", "Choose your role"), *built["role"]]
        _OPTIONS.clear()  # one rules file is current at a time
        cached = _OPTIONS[id(rules)] = (rules, built)
    return cached[1]


def label(rules: TrackRules, field: str, value: str) -> str:
    """Return the plain-language label of one intake value."""
    text = EXTRA_LABELS.get(field, {}).get(value) or getattr(rules.labels, field).get(value) or value.replace("_", " ")
    return text[:1].upper() + text[1:]
