"""`flask --app wsgi seed-demo [--as-recorded]`: the four events of the 2023 minutes."""
import click
from flask.cli import with_appcontext

from ..clock import utcnow
from ..database import writing
from .demo import seed_demo_events


@click.command("seed-demo")
@click.option("--as-recorded", is_flag=True,
              help="Keep the 2023 dates of the minutes (registration then shows as closed).")
@with_appcontext
def seed_demo_command(as_recorded):
    """Load the four co-creation events of the 2023 preparatory minutes (idempotent)."""
    with writing():
        events = seed_demo_events(utcnow(), as_recorded=as_recorded)
    for event in events:
        click.echo(f"{event.starts_on.isoformat()}  {event.slug}  ({len(event.workshops)} ateliers, "
                   f"{event.capacity} places)")
