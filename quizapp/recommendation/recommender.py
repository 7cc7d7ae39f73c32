"""Recommend a CPR/BLS course track from intake answers and quiz scores (pure: no app, no database)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import Field, TypeAdapter, field_validator

from quizapp.banks.schema import Strict
from quizapp.numfmt import number
from quizapp.recommendation.tracks import (
    Card,
    Care,
    CareMatch,
    Labels,
    Match,
    Percent,
    Readiness,
    Regulatory,
    Requirement,
    Role,
    RoleMatch,
    Rule,
    TrackRules,
    When,
)

READINESS = ("ready", "review", "not-assessed")
SCORE_REASONS = frozenset({"no-scores", "score-missing", "score-below", "scores-ready"})
YOUNG = {"children": "child", "infants": "infant"}
SCORES = TypeAdapter(dict[str, Percent | None])


class Intake(Strict):
    """A learner's intake answers; the web form and the CLI pass the same dict."""

    role: Role
    employer_requires: Requirement
    clinical_setting: bool = False
    cares_for: list[Care] = Field(default_factory=list)
    regulatory: Regulatory = "none"
    current_card: Card = "none"

    @field_validator("cares_for")
    @classmethod
    def _unique(cls, cares: list[str]) -> list[str]:
        """Drop repeated entries, keeping the first."""
        return _unique(cares)


def recommend(intake: dict | Intake, scores: dict | None, rules: TrackRules, source: str | None = None) -> dict:
    """Return the recommended track, add-ons, caveats, readiness, reasons and next steps as plain data."""
    answers = intake if isinstance(intake, Intake) else Intake.model_validate(intake)
    checked = SCORES.validate_python(scores) if scores is not None else None
    matched = [rule for rule in rules.rules if _matches(rule.when, answers, rules.role_groups)]
    slug = next(rule.track for rule in matched if rule.track)
    track = rules.tracks[slug]
    # `source` is the slug of the scores' quiz: a quiz other than the track's readiness quiz does not judge
    # readiness (a lay quiz says nothing of the provider exam, and back).
    if not counts_for(track.readiness, source):
        checked = None
    add_ons = _unique(a for rule in matched for a in rule.add_ons)
    caveats = _unique(c for rule in matched for c in rule.caveats)
    readiness, review_topics, score_reasons = assess(thresholds(track.readiness), checked, rules)
    return {
        "track": slug,
        "track_title": track.title,
        "track_courses": list(track.example_courses),
        "readiness_quiz": track.readiness.quiz,
        "thresholds": thresholds(track.readiness),
        "add_ons": add_ons,
        "caveats": caveats,
        "readiness": readiness,
        "review_topics": review_topics,
        "reasons": _rule_reasons(matched, slug, answers, rules.labels) + score_reasons,
        "next_steps": _next_steps(matched, slug, add_ons, rules),
        "caveat_notes": [{"code": c, "title": rules.caveats[c].title, "text": rules.caveats[c].text} for c in caveats],
        "add_on_titles": [rules.add_ons[a].title for a in add_ons],
    }


def counts_for(readiness: Readiness, source: str | None) -> bool:
    """Whether scores of quiz `source` (None: unknown) judge this readiness."""
    return source is None or readiness.quiz is None or source == readiness.quiz


def thresholds(readiness: Readiness) -> dict[str, float]:
    """Return the minimum percent per topic, plus `overall` when the track sets one."""
    needed = dict(readiness.topics)
    if readiness.overall is not None:
        needed["overall"] = readiness.overall
    return needed


def _matches(when: When, intake: Intake, groups: dict[str, list[str]]) -> bool:
    """Whether every condition of a rule holds for these answers."""
    return all(cond is None or _holds(cond, getattr(intake, field), groups) for field, cond in when)


def _holds(cond: Match | CareMatch, value: Any, groups: dict[str, list[str]]) -> bool:
    """Whether one condition holds for one answer."""
    if isinstance(cond, CareMatch):
        given = set(value)
        return (cond.contains_any is None or bool(given & set(cond.contains_any))) and (
            cond.contains_none is None or not given & set(cond.contains_none)
        )
    checks = [
        cond.equals is None or value == cond.equals,
        cond.in_ is None or value in cond.in_,
        cond.not_in is None or value not in cond.not_in,
    ]
    if isinstance(cond, RoleMatch):
        checks.append(cond.in_group is None or value in groups[cond.in_group])
        checks.append(cond.not_in_group is None or value not in groups[cond.not_in_group])
    return all(checks)


def _rule_reasons(matched: list[Rule], track: str, intake: Intake, labels: Labels) -> list[dict]:
    """Reasons of the matching rules that chose this track or only add; not of rules for another track."""
    values = _labelled(intake, labels)
    reasons = [
        (rule.reason.code, rule.reason.text.format(**values))
        for rule in matched
        if rule.reason and rule.track in (None, track)
    ]
    return [{"code": code, "text": text} for code, text in _unique(reasons)]


def _labelled(intake: Intake, labels: Labels) -> dict[str, str]:
    """Return each intake answer as plain words for reason texts."""

    def name(field: str, value: str) -> str:
        """Label of one value: from the rules file, else the value with spaces."""
        return getattr(labels, field).get(value, value.replace("_", " "))

    values = {f: name(f, getattr(intake, f)) for f in ("role", "employer_requires", "regulatory", "current_card")}
    values["clinical_setting"] = "yes" if intake.clinical_setting else "no"
    values["cares_for"] = _join([name("cares_for", c) for c in intake.cares_for]) or "no one in particular"
    values["young"] = _join([word for care, word in YOUNG.items() if care in intake.cares_for]) or "child and infant"
    return values


def _next_steps(matched: list[Rule], track: str, add_ons: list[str], rules: TrackRules) -> list[str]:
    """Rule tips, then the track's and each add-on's next steps, without repeats (caveats are notes of their own)."""
    steps = [tip for rule in matched for tip in rule.tips]
    steps += rules.tracks[track].next_steps
    steps += [step for a in add_ons for step in rules.add_ons[a].next_steps]
    return _unique(steps)


def assess(
    needed: dict[str, float], scores: dict[str, float | None] | None, rules: TrackRules, labels: dict | None = None
) -> tuple[str, list[str], list[dict]]:
    """Return (readiness, topics below their mark, score reasons) for one track's thresholds (see `thresholds`)."""
    given = {topic: score for topic, score in (scores or {}).items() if score is not None}
    if not given:
        return "not-assessed", [], [_reason("no-scores", rules.messages.none)]
    names = {**rules.topics, **(labels or {})}  # `labels` names the topics in the reasons' texts
    missing = [topic for topic in needed if topic not in given]
    below = [topic for topic, minimum in needed.items() if topic in given and given[topic] < minimum]
    reasons = [_about(t, "score-missing", rules.messages.missing, topic=_topic(t, names)) for t in missing]
    reasons += [
        _about(
            t,
            "score-below",
            rules.messages.below,
            topic=_topic(t, names),
            score=number(given[t]),
            minimum=number(needed[t]),
        )
        for t in below
    ]
    if missing:
        return "not-assessed", [], reasons
    if below:
        return "review", below, reasons
    return "ready", [], [_reason("scores-ready", rules.messages.ready)]


def _reason(code: str, template: str, **values: str) -> dict:
    """Build one {code, text} reason from a message template."""
    return {"code": code, "text": template.format(**values)}


def _about(slug: str, code: str, template: str, **values: str) -> dict:
    """Build one {code, text, topic} reason about the topic `slug`."""
    return {**_reason(code, template, **values), "topic": slug}


def _topic(slug: str, names: dict[str, str]) -> str:
    """Plain-language name of a quiz topic."""
    return names.get(slug, slug.replace("-", " "))


def _join(words: list[str]) -> str:
    """Join words as plain English: 'a', 'a and b', 'a, b and c'."""
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def _unique(items: Iterable) -> list:
    """Return the items without repeats, keeping first-seen order."""
    return list(dict.fromkeys(items))
