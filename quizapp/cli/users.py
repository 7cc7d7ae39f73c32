"""`flask users ...`: create accounts (there are no default accounts)."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from quizapp.accounts import users
from quizapp.accounts.passwords import weakness
from quizapp.errors import DomainError
from quizapp.extensions import db
from quizapp.forms.auth import MAX_PASSWORD, MIN_PASSWORD
from quizapp.models import Role

group = AppGroup("users", help="Manage user accounts.")


@group.command("create")
@click.option("--email", required=True, help="The account's email (its sign-in name).")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.LEARNER.value, show_default=True)
@click.option("--name", "display_name", default=None, help="Display name (default: the part of the email before @).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input instead of generating one.")
def create(email: str, role: str, display_name: str | None, password_stdin: bool) -> None:
    """Create a user; prints a generated password unless --password-stdin is given."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
        if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
            raise click.ClickException(f"the password must be {MIN_PASSWORD} to {MAX_PASSWORD} characters")
        problem = weakness(password, email)
        if problem:
            raise click.ClickException(problem)
    else:
        password = users.generated_password()
    if "@" not in email or len(email) > 254:
        raise click.ClickException("that does not look like an email address")
    try:
        user = users.register(email, display_name or email.split("@")[0], password, Role(role))
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    db.session.commit()
    click.echo(f"created {user.role} {user.email}")
    if not password_stdin:
        click.echo(f"password: {password}")
