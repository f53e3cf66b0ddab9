"""`flask --app wsgi users create|disable|set-role|reset-2fa|first-admin-hint`: accounts are made
and changed on the command line (an administrator may also reset a second factor on /accounts/)."""
import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from ..clock import utcnow
from ..database import writing
from ..events.models import Event
from ..extensions import db
from ..security_log import security_event
from .forms import MIN_PASSWORD_LENGTH
from .models import ROLES, User
from .operations import create_user, disable_user, find_user_by_email, reset_second_factor, set_role

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


def _existing(email):
    user = find_user_by_email(email)
    if user is None:
        raise click.UsageError(f"no account with the email {email.strip().lower()}")
    return user


def _change_account(email: str, change, event: str, done: str) -> None:
    """Apply `change(user, now)` to the account, log the security event, say what was done."""
    with writing():
        user = _existing(email)
        change(user, utcnow())
        security_event(event, account=user.email, by="command line")
    click.echo(done.format(email=user.email))


@users_cli.command("disable")
@click.argument("email")
def users_disable(email):
    """Disable an account: it can no longer sign in, and its open sessions end at once."""
    _change_account(email, disable_user, "account_disabled", "Disabled {email}; its sessions are ended")


@users_cli.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice(ROLES))
def users_set_role(email, role):
    """Give an account another role; its open sessions end (it signs in again with the new one)."""
    try:
        with writing():
            user = _existing(email)
            before = user.role
            set_role(user, role, utcnow())
            security_event("role_changed", account=user.email, before=before, after=role, by="command line")
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    click.echo(f"{user.email} is now {role}; its sessions are ended")


@users_cli.command("reset-2fa")
@click.argument("email")
def users_reset_2fa(email):
    """Remove an account's second factor (a lost phone): it enrols a new one at its next sign-in."""
    _change_account(email, reset_second_factor, "two_factor_reset",
                    "Second factor of {email} removed; its sessions are ended")


@users_cli.command("first-admin-hint")
def users_first_admin_hint():
    """Say how to create the first administrator, while there is none (`make run` calls it)."""
    if db.session.scalar(select(func.count()).select_from(User).where(User.role == "admin")):
        return
    click.echo("No administrator account yet. To create yours (the password is asked twice):\n"
               "  .venv/bin/flask --app wsgi users create you@example.org --role admin --organization MTNRA\n"
               "Association coordinators: --role coordinator --organization ACODEC (or ADFM, 4Chabab, ALCI, ACB).")
