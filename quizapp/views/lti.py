"""LTI 1.3 endpoints: OIDC login initiation, launch, the instructors' quiz picker (deep linking), the tool's JWKS."""

from __future__ import annotations

import requests
from flask import Blueprint, jsonify, redirect, render_template, request, session, url_for
from flask_login import login_user
from sqlalchemy import select

from quizapp.extensions import csrf, db
from quizapp.forms.lti import PickForm
from quizapp.lti import claims as c
from quizapp.lti import deep_linking, keys, launches
from quizapp.lti import launch as lti_launch
from quizapp.lti.framing import FRAME_KEY, STATE_COOKIE
from quizapp.lti.launch import LaunchRefused
from quizapp.models import LtiLaunch, Quiz
from quizapp.security import CSP

bp = Blueprint("lti", __name__, url_prefix="/lti")
LAUNCH_KEY = "lti_launch"


# The refusal is shown inside the platform's iframe, whichever platform that is; it offers no action to hijack.
REFUSED_CSP = CSP.replace("frame-ancestors 'none'", "frame-ancestors *")


def refused(message: str, status: int = 400):
    """Roll back and show why a message was refused; nothing it carried is kept."""
    db.session.rollback()
    return render_template("lti/refused.html", message=message), status, {"Content-Security-Policy": REFUSED_CSP}


@bp.route("/login", methods=["GET", "POST"])
@csrf.exempt  # the platform starts the login; the state cookie and nonce bind it to the launch
def login():
    """Start the OIDC login the platform asked for: remember state and nonce, send the browser to the platform."""
    params = request.values.to_dict()
    try:
        target, state = lti_launch.begin_login(params, url_for("lti.launch", _external=True))
    except LaunchRefused as exc:
        return refused(exc.message)
    db.session.commit()
    response = redirect(target, code=302)
    response.set_cookie(
        STATE_COOKIE,
        state,
        max_age=600,
        path=url_for("lti.launch"),
        secure=True,
        httponly=True,
        samesite="None",
        partitioned=True,
    )
    return response


@bp.post("/launch")
@csrf.exempt  # a form the platform posts; its id_token is verified against the state and nonce of our login
def launch():
    """Validate the id_token, sign the platform's user in, and open the quiz (or the picker for deep linking)."""
    try:
        body, registration = lti_launch.validate(request.form, request.cookies.get(STATE_COOKIE), requests)
        quiz = launches.launched_quiz(body)
        if body[c.MESSAGE_TYPE] == c.RESOURCE_LAUNCH and quiz is None:
            raise LaunchRefused("This link does not point at a published quiz; ask the instructor to pick it again.")
        if body[c.MESSAGE_TYPE] == c.DEEP_LINKING and not c.is_teacher(body.get(c.ROLES)):
            raise LaunchRefused("Only instructors can add quizapp activities to a course.")
    except LaunchRefused as exc:
        return refused(exc.message)
    user = launches.match_user(registration, body)
    record = launches.record(registration, user, body, quiz)
    target = url_for("quiz.show", slug=quiz.slug) if quiz else url_for("lti.pick")
    frame = launches.frame_origins(registration, request.headers.get("Origin"))
    db.session.commit()
    session.clear()  # a new identity gets a new session (no fixation across the platform's users)
    login_user(user)
    session[LAUNCH_KEY], session[FRAME_KEY] = record.id, frame
    response = redirect(target, code=303)
    response.delete_cookie(STATE_COOKIE, path=url_for("lti.launch"), secure=True, samesite="None")
    return response


def deep_link_launch() -> LtiLaunch | None:
    """Return this session's deep-linking launch by an instructor, or None."""
    found = db.session.get(LtiLaunch, session.get(LAUNCH_KEY) or 0)
    if found is None or found.message_type != c.DEEP_LINKING or not found.instructor:
        return None
    return found


def published_quizzes() -> list[Quiz]:
    """Return the quizzes an instructor may pick, by title."""
    return list(db.session.execute(select(Quiz).where(Quiz.published.is_(True)).order_by(Quiz.title)).scalars())


@bp.route("/pick", methods=["GET", "POST"])
def pick():
    """Let the instructor pick quizzes; post the signed deep-linking response back to the platform."""
    source = deep_link_launch()
    if source is None:
        return refused("Open this page from your course's 'add activity' dialog in the learning platform.", 403)
    quizzes = published_quizzes()
    form = PickForm()
    form.quizzes.choices = [(q.slug, q.title) for q in quizzes]
    one_only = source.deep_link_multiple is False
    valid = form.validate_on_submit()
    if valid and one_only and len(form.quizzes.data) > 1:
        form.quizzes.errors.append("Pick one quiz: this place in the course takes one activity.")
        valid = False
    if not valid:
        status = 422 if request.method == "POST" else 200
        return render_template("lti/pick.html", form=form, one_only=one_only), status
    chosen = [q for q in quizzes if q.slug in form.quizzes.data]
    token = deep_linking.response_jwt(source, chosen, url_for("lti.launch", _external=True))
    db.session.commit()  # the first signing key, if this response made it
    response = render_template("lti/return.html", return_url=source.deep_link_return_url, jwt=token)
    return response, 200, {"Content-Security-Policy": return_csp(source.deep_link_return_url)}


def return_csp(return_url: str) -> str:
    """Let the auto-posted form reach the platform's deep-linking return URL, inside the platform's frame."""
    framed = CSP.replace("frame-ancestors 'none'", f"frame-ancestors {session[FRAME_KEY]}")
    return framed.replace("form-action 'self'", f"form-action 'self' {return_url}")


@bp.get("/jwks")
def jwks():
    """Publish the tool's public keys (platforms verify deep-linking responses and token requests with them)."""
    body = keys.key_set()
    return jsonify(body), 200, {"Cache-Control": "public, max-age=3600"}
