"""The result page and the recommendation as one view-model, built by one pure function from one set of marks.

Every statement the page makes about a topic (its bar, its table row, the "Why" list, "Topics to review", the
practice links) reads the same `TopicRow`, so no two places can disagree. The marks come from one place: the
readiness thresholds of the recommended track (questions/tracks.yaml, stored with the recommendation) when the
attempt gave one, else the quiz's pass mark. The quiz pass mark always judges the overall result (passed or not);
the two are named differently on the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from quizapp.numfmt import number
from quizapp.recommendation import recommender
from quizapp.recommendation.tracks import TrackRules


@dataclass(frozen=True)
class Facts:
    """What the page needs from a finished attempt (plain values, no database)."""

    quiz_slug: str
    quiz_title: str
    percent: float
    score: float
    max_score: float
    passed: bool
    pass_percent: float
    topics: dict[str, float]
    attempts_left: int | None = None
    expired: bool = False


@dataclass(frozen=True)
class Names:
    """What the page draws from the database: topic names, missed questions, practice quizzes, quiz titles."""

    labels: dict[str, str] = field(default_factory=dict)
    missed: dict[str, list[int]] = field(default_factory=dict)
    practice: dict[str, str] = field(default_factory=dict)
    quizzes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Link:
    """A next step: its words and where it leads (`url_for(endpoint, **params)`)."""

    text: str
    endpoint: str
    params: dict


@dataclass(frozen=True)
class TopicRow:
    """One topic's score and its mark, as every part of the page shows it."""

    slug: str
    heading: str
    percent: str
    width: float
    mark: str | None
    mark_at: float | None
    below: bool
    state: str
    missed: list[int]
    practice: Link | None


@dataclass(frozen=True)
class Reason:
    """One sentence of "Why", with the topic it judges (None for a reason from the intake answers)."""

    text: str
    topic: str | None = None


@dataclass(frozen=True)
class Advice:
    """The recommendation as shown: the course, readiness, why, and what to book."""

    track: str
    title: str
    courses: list[str]
    readiness: str
    readiness_quiz: Link | None
    caveats: list[dict]
    reasons: list[Reason]
    add_ons: list[str]
    tips: list[str]
    course_page: Link


@dataclass(frozen=True)
class ResultPage:
    """Everything the result page (or the recommendation page) says, computed once."""

    facts: Facts | None
    percent: str
    score: str
    max_score: str
    pass_mark: str
    mark_kind: str
    mark_note: str
    topics: list[TopicRow]
    headings: dict[str, str]
    review: list[TopicRow]
    advice: Advice | None
    next_steps: list[Link]


STATES = {
    "readiness": ("below the readiness mark", "at or above the readiness mark"),
    "pass": ("below the quiz pass mark", "at or above the quiz pass mark"),
}
NOT_COUNTED = "not counted for this course's readiness"


def build(facts: Facts | None, rec: dict | None, rules: TrackRules, names: Names) -> ResultPage:
    """Return the page's view-model: every topic row, the advice and the next-step links, from one set of marks."""
    scores = dict(facts.topics) if facts else {}
    labels = {**names.labels, **rules.topics}
    marks, kind, judged = _marks(facts, rec, rules)
    overall = {**scores, "overall": facts.percent} if facts and judged else None
    readiness, below, reasons = recommender.assess(marks, overall, rules, labels) if marks else ("", [], [])
    rows = [_row(t, pct, marks.get(t), kind, t in below, labels, names) for t, pct in scores.items()]
    review = [row for row in rows if row.below]
    advice = _advice(rec, rules, names, readiness, reasons) if rec else None
    return ResultPage(
        facts=facts,
        percent=number(facts.percent) if facts else "",
        score=number(facts.score) if facts else "",
        max_score=number(facts.max_score) if facts else "",
        pass_mark=number(facts.pass_percent) if facts else "",
        mark_kind=kind,
        mark_note=_mark_note(kind, rec, marks),
        topics=rows,
        headings={row.slug: row.heading for row in rows},
        review=review,
        advice=advice,
        next_steps=_next_steps(facts, review, advice),
    )


def _marks(facts: Facts | None, rec: dict | None, rules: TrackRules) -> tuple[dict[str, float], str, bool]:
    """Return (minimum percent per topic and overall, which kind of mark, whether these scores judge it)."""
    if rec is None:
        if facts is None:
            return {}, "none", False
        return dict.fromkeys(facts.topics, facts.pass_percent), "pass", True
    track = rules.tracks.get(rec["track"])
    marks = rec.get("thresholds") or (recommender.thresholds(track.readiness) if track else {})
    quiz = rec.get("readiness_quiz", track.readiness.quiz if track else None)
    judged = facts is not None and (quiz is None or facts.quiz_slug == quiz)
    return (dict(marks), "readiness", True) if judged else (dict(marks), "none", False)


def _row(slug: str, pct: float, mark: float | None, kind: str, below: bool, labels: dict, names: Names) -> TopicRow:
    """Build one topic's row: its score, its mark (if the track counts it), whether it is below, what to do."""
    label = labels.get(slug, slug.replace("-", " "))
    heading = label[:1].upper() + label[1:]
    state = NOT_COUNTED if mark is None else STATES.get(kind, ("", ""))[0 if below else 1]
    practice = names.practice.get(slug)
    link = Link(names.quizzes.get(practice, practice), "quiz.show", {"slug": practice}) if practice else None
    return TopicRow(
        slug=slug,
        heading=heading,
        percent=number(pct),
        width=max(0.0, min(100.0, pct)),
        mark=None if mark is None or kind == "none" else number(mark),
        mark_at=None if mark is None or kind == "none" else mark,
        below=below,
        state=state if kind != "none" else "",
        missed=list(names.missed.get(slug, [])) if below else [],
        practice=link if below else None,
    )


def _advice(rec: dict, rules: TrackRules, names: Names, readiness: str, score_reasons: list[dict]) -> Advice:
    """Return the recommendation section: rule reasons stored with it, readiness judged from the same marks."""
    track = rules.tracks.get(rec["track"])
    quiz = rec.get("readiness_quiz", track.readiness.quiz if track else None)
    rule_reasons = [Reason(r["text"]) for r in rec.get("reasons", []) if r["code"] not in recommender.SCORE_REASONS]
    readiness = readiness or "not-assessed"
    if readiness == "not-assessed" and not score_reasons:
        score_reasons = [{"code": "no-scores", "text": rules.messages.none}]
    title = names.quizzes.get(quiz) if quiz else None
    return Advice(
        track=rec["track"],
        title=rec["track_title"],
        courses=list(rec.get("track_courses", [])),
        readiness=readiness,
        readiness_quiz=Link(title, "quiz.show", {"slug": quiz}) if title and readiness == "not-assessed" else None,
        caveats=list(rec.get("caveat_notes") or []),
        reasons=rule_reasons + [Reason(r["text"], r.get("topic")) for r in score_reasons],
        add_ons=list(rec.get("add_on_titles") or []),
        tips=list(rec.get("next_steps", [])),
        course_page=Link(f"About the {rec['track_title']} course", "recommend.courses", {"_anchor": rec["track"]}),
    )


def _mark_note(kind: str, rec: dict | None, marks: dict[str, float]) -> str:
    """Say which mark the topic rows are judged against, and how it differs from the quiz pass mark."""
    if kind == "readiness":
        overall = f", and {number(marks['overall'])}% overall" if "overall" in marks else ""
        return (
            f"Each topic is compared with its readiness mark for {rec['track_title']}{overall}. Readiness marks "
            "come from the course-track rules; the quiz pass mark above only decides whether this attempt passed."
        )
    if kind == "pass":
        return "This quiz gives no course recommendation, so each topic is compared with the quiz pass mark."
    if rec is not None:
        return f"These scores do not judge readiness for {rec['track_title']}; its own quiz does."
    return ""


def _next_steps(facts: Facts | None, review: list[TopicRow], advice: Advice | None) -> list[Link]:
    """Return the links that lead on: practice per weak topic, the readiness quiz, a retake, the course page."""
    links = [row.practice for row in review if row.practice]
    if advice and advice.readiness_quiz:
        links.append(
            Link(
                f"Take {advice.readiness_quiz.text} to see whether you are ready",
                "quiz.show",
                advice.readiness_quiz.params,
            )
        )
    if facts and (facts.attempts_left is None or facts.attempts_left > 0):
        count = facts.attempts_left
        left = "" if count is None else f" ({count} attempt{'' if count == 1 else 's'} left)"
        links.append(Link(f"Take {facts.quiz_title} again{left}", "quiz.show", {"slug": facts.quiz_slug}))
    if advice:
        links.append(advice.course_page)
    return [link for i, link in enumerate(links) if link not in links[:i]]
