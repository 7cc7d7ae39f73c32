"""Role checks for views: anonymous users are sent to sign in, the wrong role gets 403."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user

from quizapp.extensions import login_manager
from quizapp.models import Role


def role_required(*roles: Role) -> Callable:
    """Allow a view only to signed-in users with one of `roles`."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


authors_only = role_required(Role.INSTRUCTOR, Role.ADMIN)
admins_only = role_required(Role.ADMIN)
