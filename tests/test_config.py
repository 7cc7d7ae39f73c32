"""Configuration is read at app creation; production refuses unsafe settings."""

import secrets

import pytest

from quizapp import create_app
from quizapp.config import ConfigError, from_environment, normalise_database_url


def test_defaults_to_sqlite_in_instance(tmp_path):
    settings = from_environment(str(tmp_path), {})
    assert settings["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'quizapp.sqlite'}"


def test_postgres_urls_use_psycopg3():
    assert normalise_database_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalise_database_url("postgresql://u@h/d") == "postgresql+psycopg://u@h/d"


@pytest.mark.parametrize(
    "overrides",
    [
        {"SECRET_KEY": ""},
        {"SECRET_KEY": "too-short"},
        {"SECRET_KEY": "dev-only-insecure-secret-key"},
        {"SECRET_KEY": secrets.token_hex(32), "DEBUG": True},
    ],
)
def test_production_refuses_unsafe_settings(overrides):
    with pytest.raises(ConfigError):
        create_app({"QUIZAPP_ENV": "production", "SQLALCHEMY_DATABASE_URI": "sqlite://", **overrides})


def test_production_with_strong_secret_starts():
    app = create_app(
        {
            "QUIZAPP_ENV": "production",
            "SECRET_KEY": secrets.token_hex(32),
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "SESSION_COOKIE_SECURE": True,
            "BROKER_URL": "redis://127.0.0.1:6379/5",
            "MAIL_URL": "smtp://127.0.0.1:2525",
            "PUBLIC_URL": "https://quiz.example.org",
        }
    )
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["SESSION_COOKIE_HTTPONLY"]
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_environment_production_sets_secure_cookies(tmp_path):
    settings = from_environment(str(tmp_path), {"QUIZAPP_ENV": "production", "SECRET_KEY": secrets.token_hex(32)})
    assert settings["SESSION_COOKIE_SECURE"] is True


def test_a_transaction_mode_pooler_turns_off_prepared_statements(tmp_path):
    settings = from_environment(str(tmp_path), {"DATABASE_POOLER": "transaction"})
    options = settings["SQLALCHEMY_ENGINE_OPTIONS"]
    assert options["connect_args"] == {"prepare_threshold": None} and options["pool_recycle"] == 3600
    assert "SQLALCHEMY_ENGINE_OPTIONS" not in from_environment(str(tmp_path), {})


def test_job_settings_are_read_from_the_environment(tmp_path):
    settings = from_environment(str(tmp_path), {"JOBS_MAX_RETRIES": "5", "JOBS_VISIBILITY_TIMEOUT": "x"})
    assert settings["JOBS_MAX_RETRIES"] == 5 and "JOBS_VISIBILITY_TIMEOUT" not in settings
