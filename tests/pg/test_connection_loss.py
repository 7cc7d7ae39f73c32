"""A database connection killed in a request or while pooled (PostgreSQL): replaced unseen, or one 503 to retry."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import event

from quizapp.extensions import db
from tests.taking.helpers import start


@pytest.fixture(autouse=True)
def _postgres_only(is_postgres):
    """pg_terminate_backend is PostgreSQL's; SQLite has no server connection to lose."""
    if not is_postgres:
        pytest.skip("connection-loss tests need PostgreSQL (set TEST_DATABASE_URL)")


def admin_url(engine) -> str:
    """Return a plain psycopg URL of the engine's database."""
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def kill_before(app, marker: str):
    """Terminate the backend serving the first statement that mentions `marker`, just before it runs."""
    with app.app_context():
        engine = db.engine
    armed = [True]

    def terminate(conn, cursor, statement, parameters, context, executemany):
        if armed[0] and marker in statement:
            armed[0] = False
            pid = conn.connection.dbapi_connection.info.backend_pid
            with psycopg.connect(admin_url(engine), autocommit=True) as killer:
                # The timeout makes the call wait until the backend has really gone.
                assert killer.execute("SELECT pg_terminate_backend(%s, 5000)", (pid,)).fetchone()[0]

    event.listen(engine, "before_cursor_execute", terminate)
    return armed


@pytest.mark.parametrize(
    ("method", "path", "marker"), [("get", "/history", "FROM attempt"), ("post", "start", "INSERT INTO attempt")]
)
def test_a_killed_connection_is_a_503_with_retry_after_and_the_next_request_succeeds(
    app, learner, method, path, marker
):
    url = "/quizzes/demo-exam/start" if path == "start" else path
    armed = kill_before(app, marker)
    response = getattr(learner, method)(url)
    assert not armed[0], "the connection was not killed"
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert "briefly unavailable" in response.get_data(as_text=True)
    assert getattr(learner, method)(url).status_code in (200, 303)


def test_a_killed_connection_during_autosave_answers_json(app, learner):
    pid = start(learner)
    armed = kill_before(app, "INSERT INTO response")
    response = learner.post(
        f"/attempts/{pid}/questions/1/autosave", data={"answer": "0"}, headers={"Accept": "application/json"}
    )
    assert not armed[0]
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert response.json["error"].startswith("The service is briefly unavailable")
    assert learner.post(f"/attempts/{pid}/questions/1/autosave", data={"answer": "0"}).status_code == 200


def kill_pooled(app) -> None:
    """Terminate the backend of the connection waiting in the app's pool (it was just used, then returned)."""
    with app.app_context(), db.engine.connect() as conn:
        pid = conn.connection.dbapi_connection.info.backend_pid
        url = admin_url(db.engine)
    with psycopg.connect(url, autocommit=True) as killer:
        assert killer.execute("SELECT pg_terminate_backend(%s, 5000)", (pid,)).fetchone()[0]


def test_a_connection_that_died_while_idle_is_pinged_and_replaced_unseen(make_app, auth, demo):
    idle_app = make_app(DATABASE_PING_IDLE_SECONDS=0)  # every pooled connection counts as idle: pinged before use
    client = auth.sign_in("learner", client=idle_app.test_client())
    assert client.get("/history").status_code == 200
    kill_pooled(idle_app)
    assert client.get("/history").status_code == 200


def test_a_busy_connection_is_not_pinged_so_its_loss_is_one_503_then_a_new_connection(make_app, auth, demo):
    busy_app = make_app(DATABASE_PING_IDLE_SECONDS=3600)  # returned seconds ago: used without a ping
    client = auth.sign_in("learner", client=busy_app.test_client())
    assert client.get("/history").status_code == 200
    kill_pooled(busy_app)
    response = client.get("/history")
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert client.get("/history").status_code == 200
