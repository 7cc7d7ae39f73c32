"""The track rules file: every invalid file is refused naming the file and the field (no app)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from quizapp.recommendation.tracks import TrackRules, load_rules
from tests.recommendation.test_recommender import rules_data, write_rules


def _set(path: str, value):
    """Return a change that sets the value at a dotted path (list indexes as numbers)."""

    def change(data: dict) -> None:
        """Apply the change in place."""
        *parents, last = [int(p) if p.lstrip("-").isdigit() else p for p in path.split(".")]
        target = data
        for part in parents:
            target = target[part]
        target[last] = value

    return change


INVALID = [
    ("unknown-track-in-rule", _set("rules.0.track", "acls"), "rules.0.track: unknown track 'acls'"),
    ("unknown-field-in-condition", _set("rules.0.when.salary", "high"), "rules.0.when.salary: Extra inputs"),
    ("bad-format", _set("format", "quizapp-tracks/2"), "format: Input should be 'quizapp-tracks/1'"),
    (
        "threshold-over-100",
        _set("tracks.bls-provider.readiness.overall", 101),
        "tracks.bls-provider.readiness.overall:",
    ),
    ("unknown-role-in-group", _set("role_groups.healthcare.0", "doctor"), "role_groups.healthcare.0:"),
    ("unknown-add-on", _set("rules.0.add_ons", ["cpr-pro"]), "rules.0.add_ons.0: unknown add-on 'cpr-pro'"),
    ("unknown-caveat", _set("rules.0.caveats", ["nope"]), "rules.0.caveats.0: unknown caveat 'nope'"),
    (
        "unknown-role-group",
        _set("rules.0.when.role.in_group", "medics"),
        "rules.0.when.role.in_group: unknown role group",
    ),
    ("unknown-role-in-condition", _set("rules.1.when.role", "doctor"), "rules.1.when.role.equals:"),
    (
        "undeclared-topic",
        _set("tracks.cpr-aed-adult.readiness.topics.cpr", 70),
        "tracks.cpr-aed-adult.readiness.topics.cpr",
    ),
    (
        "bad-placeholder",
        _set("rules.0.reason.text", "You are a {job}."),
        "rules.0.reason.text: unknown placeholder 'job'",
    ),
    ("no-catch-all", _set("rules.-1.when", {"role": "other"}), "rules: add a catch-all rule"),
    ("empty-condition", _set("rules.0.when.role", {}), "rules.0.when.role: give at least one of: equals, in,"),
    ("negative-threshold", _set("tracks.cpr-aed-adult.readiness.topics.airway", -5), "readiness.topics.airway:"),
]


@pytest.mark.parametrize(("change", "expected"), [case[1:] for case in INVALID], ids=[c[0] for c in INVALID])
def test_invalid_rules_file_names_file_and_field(tmp_path, change, expected):
    """An invalid rules file raises ValueError '<file>: <field path>: <message>'."""
    data = rules_data()
    change(data)
    path = write_rules(tmp_path, data)
    with pytest.raises(ValueError) as info:
        load_rules(path)
    message = str(info.value)
    assert message.startswith(f"{path}: ")
    assert expected in message


@pytest.mark.parametrize("text", ["format: [unclosed\n", "- just\n- a list\n"], ids=["bad-yaml", "not-a-mapping"])
def test_unreadable_rules_file_names_file(tmp_path, text):
    """YAML that cannot be parsed, or is not a mapping, is reported against the file."""
    path = tmp_path / "tracks.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=r"tracks\.yaml: "):
        load_rules(path)


def test_rules_model_validates_without_the_loader():
    """TrackRules.model_validate reports cross-reference problems with their paths too."""
    data = rules_data()
    data["rules"][0]["track"] = "acls"
    with pytest.raises(ValidationError, match=r"rules\.0\.track: unknown track 'acls'"):
        TrackRules.model_validate(data)
