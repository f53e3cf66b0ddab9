"""`flask --app wsgi outbox work|status`: the mail worker process and a count of messages."""
import time

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

from ..extensions import db
from ..housekeeping import run_jobs
from .connections import Pacer, connection_rate
from .models import OutboxMessage
from .worker import deliver_due, deliver_due_side_by_side

outbox_cli = AppGroup("outbox", help="The durable mail queue.")


@outbox_cli.command("work")
@click.option("--once", is_flag=True, help="Deliver what is due now, then exit.")
@click.option("--limit", type=int, default=None, help="With --once: at most this many messages.")
def outbox_work(once, limit):
    """Deliver queued mail; without --once, keep polling (run one or several such processes:
    together they keep to MAIL_MAX_CONNECTIONS connections and OUTBOX_RATE_PER_SECOND)."""
    poll = current_app.config["OUTBOX_POLL_SECONDS"]
    # One pacer per connection for the process's life: the rate holds across rounds.
    pacers = [Pacer(connection_rate()) for _ in range(max(1, current_app.config["OUTBOX_WORKER_CONNECTIONS"]))]
    while True:
        run_jobs(current_app._get_current_object())
        totals = (deliver_due(limit=limit, pacer=pacers[0]) if once and limit
                  else deliver_due_side_by_side(pacers))
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
    rows = db.session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status))
    for status, count in rows:
        click.echo(f"{status}: {count}")
