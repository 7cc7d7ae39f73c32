"""The one definition of a valid track-rules file (`format: quizapp-tracks/1`, pydantic v2)."""

from __future__ import annotations

import string
from pathlib import Path
from typing import Annotated, Any, Generic, Literal, TypeVar, get_args

import yaml
from pydantic import Field, ValidationError, model_validator

from quizapp.banks.schema import Slug, Strict, Text

Role = Literal[
    "nurse",
    "physician",
    "emt_paramedic",
    "dental",
    "pharmacist",
    "allied_health",
    "health_student",
    "lifeguard",
    "public_safety",
    "teacher",
    "coach",
    "childcare",
    "fitness",
    "workplace_responder",
    "parent_caregiver",
    "other",
]
Requirement = Literal["bls", "cpr", "none", "unsure"]
Care = Literal["adults", "children", "infants"]
Regulatory = Literal["none", "osha_workplace", "childcare_license", "school_coach"]
Card = Literal["none", "lay_cpr", "bls"]
CHOICES: dict[str, tuple[str, ...]] = {
    "role": get_args(Role),
    "employer_requires": get_args(Requirement),
    "cares_for": get_args(Care),
    "regulatory": get_args(Regulatory),
    "current_card": get_args(Card),
}
# Besides each intake field, a reason or tip may use `{young}`: "child", "infant" or "child and infant", from the
# young people ticked under cares_for, so a sentence names only what the learner answered.
DERIVED_PLACEHOLDERS = {"young"}
SCORE_PLACEHOLDERS = {"below": {"topic", "score", "minimum"}, "missing": {"topic"}, "none": set(), "ready": set()}

Title = Annotated[str, Field(min_length=1, max_length=200)]
Percent = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
V = TypeVar("V")


class Condition(Strict):
    """A condition on one answer: every operator given must hold, and at least one must be given."""

    @model_validator(mode="after")
    def _some_operator(self) -> Condition:
        """Refuse a condition with no operator."""
        if all(value is None for _, value in self):
            names = [f.alias or name for name, f in type(self).model_fields.items()]
            raise ValueError(f"give at least one of: {', '.join(names)}")
        return self


class Match(Condition, Generic[V]):
    """A condition on a single-valued answer. A bare value means equals, a bare list means in."""

    equals: V | None = None
    in_: list[V] | None = Field(default=None, alias="in")
    not_in: list[V] | None = None

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        """Accept a bare value (equals) or a bare list (in)."""
        if isinstance(data, list):
            return {"in": data}
        return data if isinstance(data, dict) else {"equals": data}


class RoleMatch(Match[Role]):
    """A condition on the role, which may also name a role group defined in the file."""

    in_group: Slug | None = None
    not_in_group: Slug | None = None


class CareMatch(Condition):
    """A condition on the list of people cared for."""

    contains_any: list[Care] | None = None
    contains_none: list[Care] | None = None


class When(Strict):
    """The conditions of one rule, keyed by intake field; all must hold (none given: always)."""

    role: RoleMatch | None = None
    employer_requires: Match[Requirement] | None = None
    clinical_setting: Match[bool] | None = None
    cares_for: CareMatch | None = None
    regulatory: Match[Regulatory] | None = None
    current_card: Match[Card] | None = None


class Reason(Strict):
    """Why a rule applies, in plain language; `{role}`-style placeholders name intake fields."""

    code: Slug
    text: Text


class Rule(Strict):
    """One rule: when it matches, it may decide the track (first one wins) and adds the rest."""

    name: Slug | None = None
    when: When = Field(default_factory=When)
    track: Slug | None = None
    add_ons: list[Slug] = Field(default_factory=list)
    caveats: list[Slug] = Field(default_factory=list)
    tips: list[Text] = Field(default_factory=list)
    reason: Reason | None = None


class Readiness(Strict):
    """Minimum percent per quiz topic, plus an optional overall minimum (inclusive), and the quiz that measures it."""

    topics: dict[Slug, Percent] = Field(default_factory=dict)
    overall: Percent | None = None
    # The quiz whose result judges readiness (a provider exam says nothing of a lay course, and back);
    # None: any quiz's topic scores count.
    quiz: Slug | None = None

    @model_validator(mode="after")
    def _some_threshold(self) -> Readiness:
        """Refuse readiness with nothing to check."""
        if not self.topics and self.overall is None:
            raise ValueError("readiness needs topics, overall, or both")
        return self


class AddOn(Strict):
    """An extra course some learners need on top of their track."""

    title: Title
    description: Text
    example_courses: list[Title] = Field(min_length=1)
    next_steps: list[Text] = Field(default_factory=list)


class Track(AddOn):
    """A course track, with the quiz scores that show a learner is ready for it."""

    readiness: Readiness


class Caveat(Strict):
    """A warning attached to a recommendation."""

    title: Title
    text: Text


class ScoreMessages(Strict):
    """Wording of the score reasons: below ({topic} {score} {minimum}), missing ({topic}), none, ready."""

    below: Text
    missing: Text
    none: Text
    ready: Text


class Labels(Strict):
    """Plain-language names of intake values used in reason texts (default: the value, `_` as space)."""

    role: dict[Role, Title] = Field(default_factory=dict)
    employer_requires: dict[Requirement, Title] = Field(default_factory=dict)
    cares_for: dict[Care, Title] = Field(default_factory=dict)
    regulatory: dict[Regulatory, Title] = Field(default_factory=dict)
    current_card: dict[Card, Title] = Field(default_factory=dict)


class RulesProblems(ValueError):
    """Cross-reference problems in a rules file, each with the dotted path of its field."""

    def __init__(self, problems: list[tuple[str, str]]):
        """Keep every (path, message) pair."""
        super().__init__("; ".join(f"{path}: {msg}" for path, msg in problems))
        self.problems = problems


class TrackRules(Strict):
    """The track-rules file (`format: quizapp-tracks/1`)."""

    format: Literal["quizapp-tracks/1"]
    topics: dict[Slug, Title] = Field(min_length=1)
    role_groups: dict[Slug, list[Role]] = Field(default_factory=dict)
    labels: Labels = Field(default_factory=Labels)
    tracks: dict[Slug, Track] = Field(min_length=1)
    add_ons: dict[Slug, AddOn] = Field(default_factory=dict)
    caveats: dict[Slug, Caveat] = Field(default_factory=dict)
    messages: ScoreMessages
    rules: list[Rule] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> TrackRules:
        """Every name a rule or track uses is defined, and some rule always decides the track."""
        problems = [
            (f"tracks.{slug}.readiness.topics.{topic}", f"unknown topic {topic!r}; declare it under topics")
            for slug, track in self.tracks.items()
            for topic in track.readiness.topics
            if topic not in self.topics
        ]
        for name, allowed in SCORE_PLACEHOLDERS.items():
            problems += _placeholder_problems(f"messages.{name}", getattr(self.messages, name), allowed)
        for i, rule in enumerate(self.rules):
            problems += self._rule_problems(f"rules.{i}", rule)
        if not any(r.track and all(c is None for _, c in r.when) for r in self.rules):
            problems.append(("rules", "add a catch-all rule (a track and no `when`) so every answer gets a track"))
        if problems:
            raise RulesProblems(problems)
        return self

    def _rule_problems(self, path: str, rule: Rule) -> list[tuple[str, str]]:
        """Names used by one rule must exist; texts use only intake placeholders."""
        problems = []
        if rule.track and rule.track not in self.tracks:
            problems.append((f"{path}.track", f"unknown track {rule.track!r}"))
        for field, defined in (("add_ons", self.add_ons), ("caveats", self.caveats)):
            for j, slug in enumerate(getattr(rule, field)):
                if slug not in defined:
                    problems.append((f"{path}.{field}.{j}", f"unknown {field.rstrip('s').replace('_', '-')} {slug!r}"))
        role = rule.when.role
        for op in ("in_group", "not_in_group"):
            group = getattr(role, op) if role else None
            if group and group not in self.role_groups:
                problems.append((f"{path}.when.role.{op}", f"unknown role group {group!r}"))
        texts = [(f"{path}.tips.{j}", tip) for j, tip in enumerate(rule.tips)]
        texts += [(f"{path}.reason.text", rule.reason.text)] if rule.reason else []
        for where, text in texts:
            problems += _placeholder_problems(where, text, set(When.model_fields) | DERIVED_PLACEHOLDERS)
        return problems


def _placeholder_problems(path: str, text: str, allowed: set[str]) -> list[tuple[str, str]]:
    """Return a problem for each `{placeholder}` in text that is not allowed (or malformed)."""
    try:
        names = [field for _, field, _, _ in string.Formatter().parse(text) if field is not None]
    except ValueError as exc:
        return [(path, f"malformed placeholder ({exc}); write {{{{ and }}}} for literal braces")]
    known = ", ".join(sorted(allowed)) or "none"
    return [(path, f"unknown placeholder {name!r}; allowed: {known}") for name in names if name not in allowed]


def load_rules(path: str | Path) -> TrackRules:
    """Read and validate a track-rules YAML file; raise ValueError naming the file and field."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ValueError(f"{path}: not valid YAML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: cannot read: {exc}") from None
    try:
        return TrackRules.model_validate(data)
    except ValidationError as exc:
        raise ValueError("\n".join(_messages(path, exc))) from None


def _messages(path: Path, exc: ValidationError) -> list[str]:
    """Render pydantic errors as `<file>: <dotted field path>: <message>` lines."""
    lines = []
    for err in exc.errors(include_url=False):
        problems = getattr((err.get("ctx") or {}).get("error"), "problems", None)
        if problems:
            lines += [f"{path}: {where}: {msg}" for where, msg in problems]
            continue
        where = ".".join(str(part) for part in err["loc"]) or "(top level)"
        lines.append(f"{path}: {where}: {err['msg'].removeprefix('Value error, ')}")
    return lines
