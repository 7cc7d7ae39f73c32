"""Admin: find users, change their role, (de)activate them, give them a temporary password."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from quizapp import clock
from quizapp.accounts import admin_users
from quizapp.errors import DomainError
from quizapp.extensions import db
from quizapp.forms.admin import ConfirmForm, RoleForm, SearchForm
from quizapp.mail import preferences
from quizapp.models import Role, User
from quizapp.views.admin.blueprint import bp

T = TypeVar("T")
# Holds the ticket (row id and one-time pad) to a just-generated password, until the user's page shows it once.
SHOWN_ONCE = "admin_temporary_password"


def _load(user_id: int, lock: bool = False) -> User:
    """Return the user or 404."""
    return admin_users.get(user_id, lock=lock) or abort(404)


def _back(user_id: int):
    """Post/Redirect/Get back to the user's page."""
    return redirect(url_for("admin.user_edit", user_id=user_id), code=303)


def _run(user_id: int, form: FlaskForm, change: Callable[[User], T]) -> tuple[User, T] | None:
    """Validate the form, apply one audited change to the (locked) user and commit; None after flashing why not."""
    user = _load(user_id, lock=True)
    if not form.validate_on_submit():
        db.session.rollback()
        flash("That request was not valid; please try again from this page.", "error")
        return None
    try:
        result = change(user)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return None
    db.session.commit()
    return user, result


@bp.get("/users")
def users():
    """Search users by email or name, a page at a time."""
    form = SearchForm(request.args)
    term = (form.q.data or "") if form.validate() else ""
    page = db.paginate(admin_users.search(term), per_page=admin_users.PAGE_SIZE, error_out=False)
    return render_template("admin/users.html", form=form, page=page, term=term)


@bp.get("/users/<int:user_id>")
def user_edit(user_id: int):
    """Show a user (with their e-mail choices), the forms that change them, a just-set password (once), past changes."""
    user = _load(user_id)
    password = None
    if SHOWN_ONCE in session:
        password = admin_users.take_to_show(session.pop(SHOWN_ONCE), user)
        db.session.commit()
    role_form = RoleForm(formdata=None, role=user.role)
    response = render_template(
        "admin/user_edit.html",
        user=user,
        role_form=role_form,
        confirm_form=ConfirmForm(formdata=None),
        password=password,
        events=admin_users.history(user),
        mail=preferences.of(user),
        is_self=user.id == current_user.id,
        now=clock.now(),
    )
    return response, 200, {"Cache-Control": "no-store"}


@bp.post("/users/<int:user_id>/role")
def user_role(user_id: int):
    """Give the user another role."""
    form = RoleForm()
    done = _run(user_id, form, lambda user: admin_users.change_role(current_user, user, Role(form.role.data)))
    if done:
        user, changed = done
        flash(f"{user.email} is now {user.role}." if changed else f"{user.email} already was {user.role}.", "info")
    return _back(user_id)


@bp.post("/users/<int:user_id>/deactivate")
def user_deactivate(user_id: int):
    """Stop the user signing in; their open sessions end."""
    done = _run(user_id, ConfirmForm(), lambda user: admin_users.deactivate(current_user, user))
    if done:
        user, changed = done
        message = "is deactivated: they cannot sign in, and their sessions have ended" if changed else "was inactive"
        flash(f"{user.email} {message}.", "info")
    return _back(user_id)


@bp.post("/users/<int:user_id>/reactivate")
def user_reactivate(user_id: int):
    """Let the user sign in again."""
    done = _run(user_id, ConfirmForm(), lambda user: admin_users.reactivate(current_user, user))
    if done:
        user, changed = done
        flash(f"{user.email} {'can sign in again' if changed else 'was already active'}.", "info")
    return _back(user_id)


def set_and_seal(user: User) -> dict:
    """Set a temporary password and seal it for the next page; return the ticket to it."""
    return admin_users.seal_to_show(user, admin_users.set_temporary_password(current_user, user))


@bp.post("/users/<int:user_id>/password")
def user_password(user_id: int):
    """Give the user a generated temporary password, shown once on the next page; their sessions end."""
    done = _run(user_id, ConfirmForm(), set_and_seal)
    if done:
        user, ticket = done
        session[SHOWN_ONCE] = ticket
        flash(f"{user.email} has a new temporary password; every session of theirs has ended.", "info")
    return _back(user_id)
