"""Database checks after a load run: answers stored once, attempts scored once, none half-written."""

from __future__ import annotations

from collections import Counter


def check(app, learners, state: dict, figures: dict, kill: bool) -> list[dict]:
    """Return one {check, ok, detail} per rule, read from the database the run wrote."""
    from sqlalchemy import select

    from quizapp.extensions import db
    from quizapp.models import Attempt, Response
    from quizapp.taking import scoring

    ids = {learner.user_id for learner in learners}
    out = []

    def rule(name: str, ok: bool, detail: str) -> None:
        out.append({"check": name, "ok": bool(ok), "detail": detail})

    with app.app_context():
        attempts = [a for a in db.session.execute(select(Attempt)).scalars() if a.user_id in ids]
        rows = db.session.execute(select(Response.attempt_id, Response.slot, Response.score, Response.answer)).all()
        by_attempt: dict[int, list] = {}
        for r in rows:
            by_attempt.setdefault(r.attempt_id, []).append(r)
        per_slot = Counter((r.attempt_id, r.slot) for r in rows)
        fives = sum(n for code, n in figures["statuses"].items() if int(code) >= 500)
        rule("no 5xx answers", fives == 0, f"{fives} answers >= 500 out of {sum(figures['statuses'].values())}")
        per_user = Counter(a.user_id for a in attempts)
        started = sum(1 for o in state["outcome"].values() if o != "gave up at start")
        rule("one attempt per learner", all(n == 1 for n in per_user.values()) and len(per_user) >= started,
             f"{len(attempts)} attempts for {len(per_user)} learners; {started} learners got past the start")
        dupes = sum(1 for n in per_slot.values() if n != 1)
        rule("one Response row per (attempt, slot)", dupes == 0, f"{len(rows)} rows checked, {dupes} duplicated")
        sent, acked = state["sent"], state["acked"]
        pid = {a.id: a.public_id for a in attempts}
        stored = {pid[a]: {r.slot for r in rs} for a, rs in by_attempt.items() if a in pid}
        within = all(acked[p] <= stored.get(p, set()) <= sent[p] for p in sent)
        total_sent = sum(map(len, sent.values()))
        rule("answers stored = answers sent" if not kill else "acknowledged <= stored <= sent, per attempt",
             within and (kill or len(rows) == total_sent),
             f"{len(rows)} rows stored; {total_sent} answers sent; {figures['saves_acknowledged']} acknowledged")
        half, scored, regraded = [], 0, 0
        for a in attempts:
            rs = by_attempt.get(a.id, [])
            if a.status == "submitted":
                ok = a.score is not None and a.submitted_at is not None and len(rs) == a.question_count
                ok = ok and all(r.score is not None for r in rs) and a.percent == 100
                _, totals = scoring.grade(a, scoring.versions_for(a), scoring.responses_for(a))
                regraded += totals.score == a.score
                scored += ok
                if not ok:
                    half.append((a.public_id, a.status, len(rs)))
            elif a.status == "in_progress":
                intact = all(r.answer is not None and r.score is None for r in rs)
                if not intact or {r.slot for r in rs} < acked.get(a.public_id, set()):
                    half.append((a.public_id, a.status, len(rs)))
            else:
                half.append((a.public_id, a.status, len(rs)))
        submitted = sum(1 for a in attempts if a.status == "submitted")
        rule("every submitted attempt scored once, from all its answers (100%, re-grade agrees)",
             scored == submitted and regraded == submitted,
             f"{submitted} submitted, {scored} fully scored, {regraded} agree with a re-grade")
        rule("no half-written attempt", not half, f"{len(attempts)} attempts checked; {len(half)} half-written "
             f"{half[:5]}")
        gave_up = {k: v for k, v in Counter(state["outcome"].values()).items() if k != "submitted"}
        rule("every learner finished (retries succeeded)" if kill else "every learner finished",
             not gave_up and submitted == len(learners),
             f"{submitted} of {len(learners)} submitted; gave up: {gave_up or 'none'}")
    return out
