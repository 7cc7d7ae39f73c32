"""Two uses of password-reset links at once: exactly one sets the password (a conditional UPDATE claims the link)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select, text

from quizapp.accounts import resets
from quizapp.extensions import db
from quizapp.models import PasswordReset, User
from tests.conftest import make_user

WAITING = "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
FIRST, SECOND = "the first new password 8472", "the second new password 5913"


def new_token(app, user_id: int) -> str:
    """Make a reset link for the user (committed) and return its token."""
    tokens = []
    with app.app_context():
        resets.request_link(db.session.get(User, user_id).email, tokens.append)
        db.session.commit()
    return tokens[0]


def password_is(app, user_id: int, password: str) -> bool:
    """Whether the user's stored password is this one."""
    with app.app_context():
        return db.session.get(User, user_id).check_password(password)


@pytest.mark.parametrize("same_link", [True, False], ids=["one link", "two links"])
def test_a_use_validated_before_another_commits_is_refused_after_it(app, same_link):
    user_id = make_user(app)
    token = new_token(app, user_id)
    other = token if same_link else new_token(app, user_id)
    with app.app_context():  # the slower request: its link was valid when it showed the form
        late = resets.valid(other)
        assert late is not None
        with app.app_context():  # the faster request, in its own session, sets its password and commits
            resets.complete(resets.valid(token), FIRST)
            db.session.commit()
        with pytest.raises(resets.LinkUsed):
            resets.complete(late, SECOND)
        db.session.rollback()
    assert password_is(app, user_id, FIRST)
    with app.app_context():
        used = db.session.scalars(select(PasswordReset.used_at)).all()
        assert sum(moment is not None for moment in used) == 1


def test_a_second_use_waits_for_the_first_and_then_fails(app, is_postgres):
    if not is_postgres:
        pytest.skip("row locks between two connections need PostgreSQL (SQLite runs one writer at a time)")
    user_id = make_user(app)
    token = new_token(app, user_id)
    outcome: list = []

    def second_use() -> None:
        """Use the same link in another session while the first use is not yet committed."""
        with app.app_context():
            reset = resets.valid(token)
            try:
                resets.complete(reset, SECOND)
                db.session.commit()
                outcome.append("changed")
            except resets.LinkUsed:
                db.session.rollback()
                outcome.append("refused")

    with app.app_context():
        resets.complete(resets.valid(token), FIRST)  # claimed, not committed
        thread = threading.Thread(target=second_use)
        thread.start()
        with app.app_context():
            for _ in range(2000):  # the other session's UPDATE queues behind this one's row lock
                if db.session.scalar(text(WAITING)):
                    break
                db.session.rollback()
                threading.Event().wait(0.01)
            else:
                pytest.fail("the second use never waited for the first")
            db.session.rollback()
        db.session.commit()
    thread.join(timeout=30)
    assert outcome == ["refused"]
    assert password_is(app, user_id, FIRST)
