"""`flask --app wsgi purge [--dry-run]`: personal data leaves on time.

Each package registers what it purges in its init_app (old registrations anonymised, old mail
bodies blanked, used tokens and old logs deleted...); the command runs them all in one
transaction. With --dry-run the same work is done and rolled back: the counts are exact, nothing
changes. Statistics keep their counts: rows that figures are made of are anonymised, not deleted.
"""
import datetime as dt
from collections.abc import Callable

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from .clock import utcnow
from .database import writing

_EXTENSION = "portal.purges"
Purge = Callable[[dt.datetime], int]


def register_purge(app: Flask, what: str, purge: Purge) -> None:
    """`purge(now)` removes or anonymises what is past its period; returns how many rows."""
    app.extensions.setdefault(_EXTENSION, []).append((what, purge))


class _DryRun(Exception):
    pass


def purge_all(now: dt.datetime, dry_run: bool = False) -> dict[str, int]:
    counts: dict[str, int] = {}
    try:
        with writing():
            for what, purge in current_app.extensions.get(_EXTENSION, []):
                counts[what] = purge(now)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return counts


@click.command("purge")
@click.option("--dry-run", is_flag=True, help="Count what would be purged, change nothing.")
@with_appcontext
def purge_command(dry_run):
    """Anonymise or delete the personal data whose retention period is over (run it daily)."""
    counts = purge_all(utcnow(), dry_run=dry_run)
    for what, count in counts.items():
        click.echo(f"{count:7d}  {what}" + ("  (dry run: nothing changed)" if dry_run else ""))


def init_app(app: Flask) -> None:
    from .security_log import purge_old_logs
    app.cli.add_command(purge_command)
    register_purge(app, "mois du journal de sécurité effacés (LOG_RETENTION_MONTHS)", purge_old_logs)
