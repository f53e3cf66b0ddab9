"""`flask --app wsgi users create|first-admin-hint`: accounts are made on the command line only."""
import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from ..database import writing
from ..events.models import Event
from ..extensions import db
from .forms import MIN_PASSWORD_LENGTH
from .models import ROLES, User
from .operations import create_user

users_cli = AppGroup("users", help="Back-office accounts.")


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--organization", default=None, help="Name or acronym of the organisation (created if new).")
@click.option("--name", default="", help="The person's name, shown in the audit log.")
@click.option("--password", default=None, help="For scripts; without it the password is asked twice.")
@click.option("--event", "event_slugs", multiple=True, help="For an observer: an event they may see (repeat).")
def users_create(email, role, organization, name, password, event_slugs):
    """Create a back-office account (passwords of 12 characters or more)."""
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise click.UsageError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    try:
        with writing():
            user = create_user(email, role, organization, password, name=name)
            _give_events(user, event_slugs)
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    click.echo(f"Created {user.role} {user.email}" + (f" ({user.organization.name})" if user.organization else ""))


def _give_events(user, slugs) -> None:
    for slug in slugs:
        event = db.session.scalar(select(Event).where(Event.slug == slug))
        if event is None:
            raise ValueError(f"no event with the slug {slug!r}")
        user.observed_events.append(event)


@users_cli.command("first-admin-hint")
def users_first_admin_hint():
    """Say how to create the first administrator, while there is none (`make run` calls it)."""
    if db.session.scalar(select(func.count()).select_from(User).where(User.role == "admin")):
        return
    click.echo("No administrator account yet. To create yours (the password is asked twice):\n"
               "  .venv/bin/flask --app wsgi users create you@example.org --role admin --organization MTNRA\n"
               "Association coordinators: --role coordinator --organization ACODEC (or ADFM, 4Chabab, ALCI, ACB).")
