"""Configuration fails closed: unknown environments, guessable keys, public binds and shared limits are refused."""

import os
import re
import secrets
import subprocess
import sys

import pytest

from quizapp import create_app
from quizapp.config import DEV_SECRET, ConfigError, from_environment, weak_secret_reason
from tests.conftest import PROJECT, base_config

STRONG = secrets.token_hex(32)
BROKER = "redis://127.0.0.1:6379/5"
MAIL = "smtp://127.0.0.1:2525"  # production needs a mail server; these tests send nothing
PUBLIC = "https://quiz.example.org"


@pytest.mark.parametrize("mode", ["prod", "Production", "PRODUCTION", "staging", "", "development "])
def test_unknown_environment_names_are_refused(mode):
    with pytest.raises(ConfigError, match="QUIZAPP_ENV must be one of"):
        create_app({**base_config("sqlite://"), "QUIZAPP_ENV": mode})


def test_unset_environment_means_production_without_the_development_key(tmp_path):
    settings = from_environment(str(tmp_path), {})
    assert settings["QUIZAPP_ENV"] == "production"
    assert settings["SECRET_KEY"] == ""


def test_unset_environment_and_no_key_refuses_to_start(monkeypatch):
    monkeypatch.delenv("QUIZAPP_ENV")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})


@pytest.mark.parametrize(
    "key",
    ["a" * 32, "changeme" * 4, "k" * 64, "password" * 8, "correct horse battery staple yes", secrets.token_hex(16),
     DEV_SECRET, "short"],
)
def test_guessable_keys_are_refused(key):
    assert weak_secret_reason(key)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({"QUIZAPP_ENV": "production", "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": key})


@pytest.mark.parametrize("key", [secrets.token_hex(32), secrets.token_urlsafe(32), secrets.token_urlsafe(64)])
def test_random_keys_are_accepted(key):
    assert weak_secret_reason(key) is None


def test_several_workers_with_memory_rate_limits_are_refused():
    settings = {"QUIZAPP_ENV": "production", "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": STRONG,
                "BROKER_URL": BROKER, "MAIL_URL": MAIL, "PUBLIC_URL": PUBLIC}
    with pytest.raises(ConfigError, match="RATELIMIT_STORAGE_URI"):
        create_app({**settings, "WEB_CONCURRENCY": "4", "RATELIMIT_STORAGE_URI": "memory://"})
    create_app({**settings, "WEB_CONCURRENCY": "1", "RATELIMIT_STORAGE_URI": "memory://"})
    create_app({**settings, "WEB_CONCURRENCY": "4", "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0"})


@pytest.mark.parametrize("hops", ["-1", "x", "9"])
def test_trusted_proxies_must_be_a_small_count(hops):
    with pytest.raises(ConfigError, match="TRUSTED_PROXIES"):
        create_app({**base_config("sqlite://"), "TRUSTED_PROXIES": hops})


def test_development_key_serves_only_this_machine():
    app = create_app({**base_config("sqlite://"), "QUIZAPP_ENV": "development", "SECRET_KEY": DEV_SECRET})
    client = app.test_client()
    assert client.get("/auth/login").status_code == 200
    far = client.get("/auth/login", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert far.status_code == 403
    assert "only on this machine" in far.get_data(as_text=True)


def test_a_real_key_serves_everyone():
    app = create_app({**base_config("sqlite://"), "QUIZAPP_ENV": "development", "SECRET_KEY": STRONG})
    assert app.test_client().get("/auth/login", environ_base={"REMOTE_ADDR": "203.0.113.9"}).status_code == 200


def gunicorn_check(command: str = "--check-config", **env):
    """Run gunicorn's configuration check (or `command`) with only the given settings; return the finished process."""
    unset = ("SECRET_KEY", "QUIZAPP_ENV", "WEB_CONCURRENCY", "BROKER_URL", "MAIL_URL", "PUBLIC_URL")
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", command]
    return subprocess.run(  # noqa: S603 - fixed command
        command, cwd=PROJECT, env={**clean, **env}, capture_output=True, text=True, timeout=60, check=False
    )


@pytest.mark.parametrize("key", [None, "a" * 32, "changeme" * 4, DEV_SECRET])
def test_gunicorn_refuses_to_start_without_a_real_key(key, tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}"} | ({"SECRET_KEY": key} if key else {})
    done = gunicorn_check(**env)
    assert done.returncode != 0
    assert "gunicorn refuses to start: SECRET_KEY" in done.stdout + done.stderr


def test_gunicorn_refuses_memory_limits_with_several_workers(tmp_path):
    done = gunicorn_check(
        SECRET_KEY=STRONG, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite'}", WEB_CONCURRENCY="3", BROKER_URL=BROKER
    )
    assert done.returncode != 0
    assert "RATELIMIT_STORAGE_URI is memory://" in done.stdout + done.stderr


def test_gunicorn_starts_with_a_safe_configuration(tmp_path):
    done = gunicorn_check(
        SECRET_KEY=STRONG, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite'}", WEB_CONCURRENCY="2",
        RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/0", BROKER_URL=BROKER, MAIL_URL=MAIL,
        PUBLIC_URL=PUBLIC,
    )
    assert done.returncode == 0, done.stderr


def test_production_refuses_to_start_without_a_job_broker():
    settings = {"QUIZAPP_ENV": "production", "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": STRONG}
    with pytest.raises(ConfigError, match="BROKER_URL is not set: production runs long work"):
        create_app(settings)
    started = create_app({**settings, "BROKER_URL": BROKER, "MAIL_URL": MAIL, "PUBLIC_URL": PUBLIC})
    assert not started.extensions["celery"].conf.task_always_eager


def test_gunicorn_refuses_to_start_without_a_job_broker(tmp_path):
    done = gunicorn_check(SECRET_KEY=STRONG, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite'}")
    assert done.returncode != 0
    assert "BROKER_URL is not set" in done.stdout + done.stderr


def test_dev_py_refuses_a_public_host_with_the_development_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"} | {"HOST": "0.0.0.0"}  # noqa: S104
    done = subprocess.run(
        [sys.executable, "dev.py", "serve"], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=60,
        check=False,
    )
    assert done.returncode != 0
    assert "published development key" in done.stderr


@pytest.mark.parametrize("url", ["console", "", "http://mail.example.org"])
def test_production_refuses_to_start_without_a_mail_server(url):
    settings = {"QUIZAPP_ENV": "production", "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": STRONG,
                "BROKER_URL": BROKER, "MAIL_URL": url, "PUBLIC_URL": PUBLIC}
    with pytest.raises(ConfigError, match="MAIL_URL"):
        create_app(settings)
    assert create_app({**settings, "MAIL_URL": "smtps://me:secret@mail.example.org"}).config["MAIL_URL"]


@pytest.mark.parametrize("url", ["", "http://quiz.example.org", "https://", "https://quiz.example.org/a b", "quiz.org"])
def test_production_refuses_to_start_without_an_https_public_address(url):
    settings = {"QUIZAPP_ENV": "production", "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": STRONG,
                "BROKER_URL": BROKER, "MAIL_URL": MAIL, "PUBLIC_URL": url}
    with pytest.raises(ConfigError, match="PUBLIC_URL"):
        create_app(settings)
    assert create_app({**settings, "PUBLIC_URL": "https://quiz.example.org/cpr"}).config["PUBLIC_URL"]


def test_gunicorn_refuses_to_start_with_mail_printed_to_the_log(tmp_path):
    done = gunicorn_check(SECRET_KEY=STRONG, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite'}", BROKER_URL=BROKER,
                          WEB_CONCURRENCY="1", MAIL_URL="console")
    assert done.returncode != 0
    assert "MAIL_URL is console: production sends e-mail" in done.stdout + done.stderr


def test_gunicorn_runs_four_workers_unless_told_and_keeps_refusing_per_worker_limits(tmp_path):
    settings = {"SECRET_KEY": STRONG, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}", "BROKER_URL": BROKER,
                "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0", "MAIL_URL": MAIL, "PUBLIC_URL": PUBLIC}
    for env, workers in (({}, 4), ({"WEB_CONCURRENCY": "2"}, 2)):
        shown = gunicorn_check(**settings, **env, command="--print-config")
        assert shown.returncode == 0, shown.stderr
        assert re.search(rf"^workers\s+= {workers}$", shown.stdout, re.M), shown.stdout
    refused = gunicorn_check(**{**settings, "RATELIMIT_STORAGE_URI": "memory://"})
    assert refused.returncode != 0 and "RATELIMIT_STORAGE_URI is memory://" in refused.stdout + refused.stderr
