"""Commands: `flask --app wsgi seed-demo [--as-recorded]` and `flask --app wsgi outbox work`."""
import time

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from .extensions import db


def register_commands(app):
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(users_cli)


@click.command("seed-demo")
@click.option("--as-recorded", is_flag=True,
              help="Keep the 2023 dates of the minutes (registration then shows as closed).")
@with_appcontext
def seed_demo_command(as_recorded):
    """Load the four co-creation events of the 2023 preparatory minutes (idempotent)."""
    from .events.demo import seed_demo_events
    from .events.queries import utcnow
    events = seed_demo_events(utcnow(), as_recorded=as_recorded)
    db.session.commit()
    for event in events:
        click.echo(f"{event.starts_on.isoformat()}  {event.slug}  ({len(event.workshops)} ateliers, "
                   f"{event.capacity} places)")


outbox_cli = AppGroup("outbox", help="The durable mail queue.")


@outbox_cli.command("work")
@click.option("--once", is_flag=True, help="Deliver what is due now, then exit.")
@click.option("--limit", type=int, default=None, help="With --once: at most this many messages.")
def outbox_work(once, limit):
    """Deliver queued mail; without --once, keep polling (run one or several such processes:
    together they keep to MAIL_MAX_CONNECTIONS connections and OUTBOX_RATE_PER_SECOND)."""
    from .outbox.connections import Pacer, connection_rate
    from .outbox.worker import deliver_due, run_housekeeping
    poll = current_app.config["OUTBOX_POLL_SECONDS"]
    pacer = Pacer(connection_rate())  # one for the process's life: the rate holds across rounds
    while True:
        run_housekeeping(current_app._get_current_object())
        totals = deliver_due(limit=limit if once else None, pacer=pacer)
        if totals["claimed"]:
            click.echo(f"sent {totals['sent']}, to retry {totals['retry']}, failed {totals['failed']}")
        elif totals["no_slot"]:
            click.echo("every SMTP connection slot is taken (MAIL_MAX_CONNECTIONS): nothing sent this round")
        db.session.remove()
        if once:
            return
        time.sleep(poll)


@outbox_cli.command("status")
def outbox_status():
    """Count messages by status."""
    from sqlalchemy import func, select

    from .outbox.models import OutboxMessage
    rows = db.session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status))
    for status, count in rows:
        click.echo(f"{status}: {count}")


users_cli = AppGroup("users", help="Back-office accounts.")


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(["admin", "coordinator", "observer"]), required=True)
@click.option("--organization", default=None, help="Name or acronym of the organisation (created if new).")
@click.option("--name", default="", help="The person's name, shown in the audit log.")
@click.option("--password", default=None, help="For scripts; without it the password is asked twice.")
@click.option("--event", "event_slugs", multiple=True, help="For an observer: an event they may see (repeat).")
def users_create(email, role, organization, name, password, event_slugs):
    """Create a back-office account (passwords of 12 characters or more)."""
    from .accounts.forms import MIN_PASSWORD_LENGTH
    from .accounts.operations import create_user
    from .database import begin_write
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise click.UsageError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    begin_write()
    try:
        user = create_user(email, role, organization, password, name=name)
        _give_events(user, event_slugs)
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    db.session.commit()
    click.echo(f"Created {user.role} {user.email}" + (f" ({user.organization.name})" if user.organization else ""))


def _give_events(user, slugs) -> None:
    from sqlalchemy import select

    from .events.models import Event
    for slug in slugs:
        event = db.session.scalar(select(Event).where(Event.slug == slug))
        if event is None:
            raise ValueError(f"no event with the slug {slug!r}")
        user.observed_events.append(event)


@users_cli.command("first-admin-hint")
def users_first_admin_hint():
    """Say how to create the first administrator, while there is none (`make run` calls it)."""
    from sqlalchemy import func, select

    from .accounts.models import User
    if db.session.scalar(select(func.count()).select_from(User).where(User.role == "admin")):
        return
    click.echo("No administrator account yet. To create yours (the password is asked twice):\n"
               "  .venv/bin/flask --app wsgi users create you@example.org --role admin --organization MTNRA\n"
               "Association coordinators: --role coordinator --organization ACODEC (or ADFM, 4Chabab, ALCI, ACB).")
