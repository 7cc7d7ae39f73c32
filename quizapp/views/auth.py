"""Sign up, sign in and sign out."""

from __future__ import annotations

import math
import re
import time
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy.exc import IntegrityError

from quizapp.accounts import resets, users, verification
from quizapp.extensions import db, limiter
from quizapp.forms.admin import ConfirmForm
from quizapp.forms.auth import LoginForm, PasswordChangeForm, RegisterForm, ResetPasswordForm, ResetRequestForm
from quizapp.models import User
from quizapp.taking import pending
from quizapp.views.dispatch import commit_and_send

bp = Blueprint("auth", __name__, url_prefix="/auth")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
SIGN_IN_AS = "sign_in_as"  # the address just signed up with, filled in on the sign-in form
SIGNED_UP = (
    "Your account is ready: sign in with your email address and password. If this address already had an account, "
    "nothing about it has changed: sign in with that account's password, or ask an administrator to reset it."
)

RESET_SENT = (
    "If this address has an account, a message with a link to choose a new password is on its way. "
    "The link works once, for one hour."
)


def too_many(what: str) -> str:
    """Say when the breached limit lets this person try again (from the limiter's reset time), and log it."""
    limit = limiter.current_limit
    minutes = max(1, math.ceil((limit.reset_at - time.time()) / 60)) if limit else 1
    # Until e-mail exists, the log is the only trace for the owner's admin that an account is being guessed at.
    current_app.logger.warning(
        "rate limit reached (%s), open again in %d min: %r", what, minutes, limit.key if limit else None
    )
    return f"Too many {what}: try again in {minutes} minute{'s' if minutes > 1 else ''}."


def rate(what: str) -> dict:
    """Return the limit settings shared by the account forms: POST only, with the waiting time in the message."""
    return {"methods": ["POST"], "error_message": lambda: too_many(what)}


def login_limit() -> str:
    """Return the configured sign-in rate limit."""
    return current_app.config["LOGIN_RATE_LIMIT"]


def safe_next(target: str | None) -> str:
    """Return `next` only when it is a path on this site; otherwise the catalog."""
    # A control character is refused anywhere: CR or LF cannot go into a Location header, and browsers drop
    # tabs and line breaks from a URL, so `/<tab>/evil.example` would be followed as `//evil.example`.
    if target and target.startswith("/") and not target.startswith(("//", "/\\")) and not CONTROL.search(target):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("catalog.index")


def _sign_in(user) -> None:
    """Start a fresh session for the user (the old session's contents are dropped, but not an unsaved answer)."""
    kept = pending.carry_over()
    session.clear()
    login_user(user)
    session.permanent = True
    pending.restore(kept)


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(login_limit, **rate("attempts to create an account"))
def register():
    """Create a learner account, then ask to sign in: the same answer whether or not the address had an account."""
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = users.sign_up(form.email.data, form.display_name.data, form.password.data)
            commit_and_send(user and verification.request_link(user, _verify_link), tell=False)
        except IntegrityError:  # the same new address signed up at the same moment: it has an account now
            db.session.rollback()
        session[SIGN_IN_AS] = User.normalise_email(form.email.data)
        flash(SIGNED_UP, "success")
        return redirect(url_for("auth.login", next=request.args.get("next")), code=303)
    return render_template("auth/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_limit, **rate("sign-in attempts"))
@limiter.limit(
    login_limit,
    key_func=lambda: "account:" + User.normalise_email(request.form.get("email") or ""),
    **rate("sign-in attempts"),
)
def login():
    """Sign in with email and password."""
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    if request.method == "GET" and SIGN_IN_AS in session:
        form.email.data = session.pop(SIGN_IN_AS)
    if form.validate_on_submit():
        try:
            user = users.authenticate(form.email.data, form.password.data)
        except users.PasswordExpired as exc:
            form.password.errors.append(exc.message)
        else:
            if user is not None:
                db.session.commit()
                _sign_in(user)
                return redirect(safe_next(request.args.get("next")), code=303)
            form.password.errors.append("The email or password is not right.")
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout():
    """Sign out of this and every other session; without a session, change nothing (the cookie included)."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"), code=303)
    users.end_other_sessions(current_user._get_current_object())
    db.session.commit()
    logout_user()
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"), code=303)


PLATFORM_SIGN_IN = "Your account signs in through your learning platform; it has no password to change here."


@bp.route("/password", methods=["GET", "POST"])
@login_required
@limiter.limit(login_limit, **rate("password attempts"))
def password():
    """Change the password; every other session of this account ends."""
    if not current_user.has_password:
        flash(PLATFORM_SIGN_IN, "info")
        return redirect(url_for("catalog.index"), code=303)
    form = PasswordChangeForm()
    form.email_hint = current_user.email
    if form.validate_on_submit():
        if not current_user.check_password(form.current.data):
            form.current.errors.append("That is not your current password.")
        elif form.password.data == form.current.data:
            form.password.errors.append("Choose a new password, not the one you have now.")
        else:
            users.change_password(current_user._get_current_object(), form.password.data)
            db.session.commit()
            _sign_in(current_user._get_current_object())
            flash("Your password is changed. Other devices have been signed out.", "success")
            return redirect(url_for("catalog.index"), code=303)
    return render_template("auth/password.html", form=form)


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(login_limit, **rate("password reset requests"))
@limiter.limit(
    login_limit,
    key_func=lambda: "reset:" + User.normalise_email(request.form.get("email") or ""),
    **rate("password reset requests"),
)
def reset_request():
    """Ask for a reset link by e-mail: the same answer whether or not the address has an account."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        job = resets.request_link(form.email.data, _reset_link)
        commit_and_send(job, tell=False)
        flash(RESET_SENT, "success")
        return redirect(url_for("auth.reset_request"), code=303)
    return render_template("auth/reset_request.html", form=form)


def _reset_link(token: str) -> str:
    """Return the full address of the page that redeems a reset token."""
    return url_for("auth.reset_password", token=token, _external=True)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(login_limit, **rate("password reset attempts"))
def reset_password(token: str):
    """Choose a new password from a valid link; the link is used up and every session of the account ends."""
    reset = resets.valid(token)
    if reset is None:
        return render_template("auth/reset_invalid.html"), 404
    form = ResetPasswordForm()
    form.email_hint = db.session.get(User, reset.user_id).email
    if form.validate_on_submit():
        try:
            resets.complete(reset, form.password.data)
        except resets.LinkUsed as exc:
            db.session.rollback()
            return render_template("auth/reset_invalid.html", reason=exc.message), 404
        db.session.commit()
        logout_user()
        session.clear()
        flash("Your password is changed and every session of your account has ended: sign in with it now.", "success")
        return redirect(url_for("auth.login"), code=303)
    return render_template("auth/reset_password.html", form=form)


def _verify_link(token: str) -> str:
    """Return the full address of the page that confirms an e-mail address."""
    return url_for("auth.verify_email", token=token, _external=True)


@bp.route("/verify/<token>", methods=["GET", "POST"])
@limiter.limit(login_limit, **rate("confirmation attempts"))
def verify_email(token: str):
    """Confirm the address with a button (a GET, as link checkers in mail readers send, changes nothing)."""
    form = ConfirmForm()
    if form.validate_on_submit():
        if verification.confirm(token) is None:
            return render_template("auth/verify_invalid.html"), 404
        db.session.commit()
        flash("Your e-mail address is confirmed: reminders you choose on your profile will reach it.", "success")
        return redirect(url_for("profile.edit" if current_user.is_authenticated else "auth.login"), code=303)
    return render_template("auth/verify_email.html", form=form)


@bp.post("/verify")
@login_required
@limiter.limit(login_limit, **rate("confirmation e-mails"))
def resend_verification():
    """Send a new confirmation link to the signed-in account's address (nothing when it is already confirmed)."""
    form = ConfirmForm(prefix="resend")
    if form.validate_on_submit():
        job = verification.request_link(current_user._get_current_object(), _verify_link)
        if commit_and_send(job) and job is not None:
            flash(f"A new confirmation link is on its way to {current_user.email}.", "success")
    return redirect(url_for("profile.edit"), code=303)
