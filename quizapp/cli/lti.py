"""`flask lti ...`: register learning platforms and rotate the tool's signing key."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from quizapp.extensions import db
from quizapp.lti import keys, registrations
from quizapp.lti.registrations import Details, RegistrationError

group = AppGroup("lti", help="LTI 1.3: learning platforms and the tool's keys.")


@group.command("register")
@click.option("--name", required=True, help="A name for the platform, e.g. 'Moodle'.")
@click.option("--issuer", required=True, help="The platform's issuer (Moodle: its site URL; Canvas: its issuer).")
@click.option("--client-id", required=True, help="The client ID the platform gave quizapp.")
@click.option("--deployment-id", "deployment_ids", multiple=True, required=True, help="A deployment ID (repeatable).")
@click.option("--key-set-url", required=True, help="The platform's public keyset (JWKS) URL.")
@click.option("--auth-login-url", required=True, help="The platform's OIDC authentication request URL.")
@click.option("--auth-token-url", required=True, help="The platform's access token URL.")
def register(**values) -> None:
    """Register a platform, or update the one with the same issuer and client ID; audited."""
    details = Details(**{**values, "deployment_ids": tuple(values["deployment_ids"])})
    existing = registrations.with_client(details.issuer.strip(), details.client_id.strip())
    try:
        saved = registrations.save(None, details, existing)
    except RegistrationError as exc:
        raise click.ClickException(exc.message) from None
    db.session.commit()
    click.echo(f"{'updated' if existing else 'registered'} {saved.name} (id {saved.id})")
    if not saved.active:
        click.echo("it is turned off: launches from it are refused until an admin turns it on (Admin, LTI platforms)")


@group.command("rotate-key")
def rotate_key() -> None:
    """Make a new signing key; the old one stays published for two days so platforms' caches catch up."""
    key = keys.rotate()
    db.session.commit()
    click.echo(f"new signing key {key.kid}")
