"""Rows straight in the database (many registrations quickly, an event's capacity) and look-ups."""
import datetime as dt
import itertools
import re

from sqlalchemy import func, select
from sqlalchemy import text as sa_text

from portal.events.models import Event
from portal.extensions import db
from portal.geo.models import Province
from portal.outbox.models import OutboxMessage
from portal.registration.models import Registration

# What migrations install and every test keeps: the rest is emptied after each test.
REFERENCE_TABLES = {"region", "province", "alembic_version", "public_cache_version"}
_counter = itertools.count(1)


def make_registrations(app, event_id, count, **fields):
    """`count` pending registrations; `fields` may hold values or callables of the index."""
    with app.app_context():
        event = db.session.get(Event, event_id)
        province = min(event.regions[0].provinces, key=lambda p: p.code).code
        now = dt.datetime(2026, 11, 1, 9, 0)
        ids = []
        for index in range(count):
            number = next(_counter)
            values = {
                "first_name": f"Prénom{number}", "last_name": f"Nom{number:05d}",
                "email": f"person{number}@example.org", "gender": "female" if index % 2 else "male",
                "age_band": "25_34", "organization": f"Association {number}", "organization_type": "association",
                "province_code": province, "city": "Ville", "workshop_id": event.workshops[0].id, "language": "fr",
                "consent_at": now, "status": "pending", "created_at": now + dt.timedelta(minutes=index),
            }
            for key, value in fields.items():
                values[key] = value(index) if callable(value) else value
            needs = values.pop("access_needs", [])
            registration = Registration(event_id=event_id, email_normalized=values["email"].lower(), **values)
            registration.access_needs = needs
            registration.change_status(values["status"], now)
            db.session.add(registration)
            ids.append(registration)
        db.session.commit()
        return [r.id for r in ids]


# The directory as migration 0010 fills it (read once, after the migrations): every test starts with it.
_installed_institutions: list[dict] = []


def remember_installed_rows(app) -> None:
    """Called once the migrations ran: what they installed outside the reference tables."""
    with app.app_context():
        table = db.metadata.tables["institution"]
        _installed_institutions[:] = [dict(row._mapping) for row in db.session.execute(table.select())]
        db.session.remove()


def empty_database(app, keep=REFERENCE_TABLES) -> None:
    """Delete the rows of every table but those in `keep`. The message templates that migration
    0005 installs and the institutions that migration 0010 installs come back as they were (unless
    their table is kept)."""
    from portal.campaigns.defaults import DEFAULT_TEMPLATES
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as connection:
            emptied = [table for table in reversed(db.metadata.sorted_tables) if table.name not in keep]
            if connection.dialect.name == "postgresql":  # one round trip rather than one per table
                connection.exec_driver_sql("; ".join(f'DELETE FROM "{table.name}"' for table in emptied))
            else:
                for table in emptied:
                    connection.execute(table.delete())
            if "message_template" not in keep:
                connection.execute(db.metadata.tables["message_template"].insert(), DEFAULT_TEMPLATES)
            if "institution" not in keep and _installed_institutions:
                connection.execute(db.metadata.tables["institution"].insert(), _installed_institutions)


def set_capacity(app, event_id, seats):
    with app.app_context():
        db.session.get(Event, event_id).capacity = seats
        db.session.commit()


FES_PREFECTURE = "03.231"


def hold_in_fes(app, event_id, *, default_rules_at=None):
    """The event is held in the Fès prefecture (its travel zones follow); with `default_rules_at`,
    the default support rules (travel: zones 1-3; one night: zones 2-3) are saved at that time."""
    from portal.events.support import DEFAULT_RULES, save_rules
    with app.app_context():
        event = db.session.get(Event, event_id)
        event.province_code = FES_PREFECTURE
        if default_rules_at is not None:
            save_rules(event, DEFAULT_RULES, None, default_rules_at)
        db.session.commit()
        db.session.remove()
    return event_id


def set_venue(app, event_id, name="Palais des congrès", city=("Oujda", "وجدة"), address="Boulevard Mohammed VI"):
    """What an organiser enters before confirming participants: the demo events have no venue
    (the minutes name none), and a mail that names the place cannot be sent without one."""
    from portal.events.models import Venue
    with app.app_context():
        event = db.session.get(Event, event_id)
        event.city_fr, event.city_ar = city
        event.venue = event.venue or Venue()
        event.venue.name_fr, event.venue.address_fr = name, address
        db.session.commit()


# --- look-ups ---------------------------------------------------------------------------------
def registrations(app, **filters) -> list[Registration]:
    with app.app_context():
        query = select(Registration).filter_by(**filters).order_by(Registration.id)
        rows = list(db.session.scalars(query))
        for row in rows:
            row.access_needs, row.diets, row.source_organization  # noqa: B018 (load before the session closes)
        db.session.expunge_all()
        return rows


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def outbox(app) -> list[OutboxMessage]:
    with app.app_context():
        rows = list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
        db.session.expunge_all()
        return rows


def region_province_codes(app, region_code: str) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(Province.code).where(Province.region_code == region_code)))


def event_region_code(app, slug: str = "oriental") -> str:
    with app.app_context():
        event = db.session.scalar(select(Event).where(Event.slug == slug))
        return event.regions[0].code


_MANAGE_LINK = re.compile(r"https?://[^/\s]+(/manage/[A-Za-z0-9_\-]+)")


def mailed_manage_path(app, email: str = "amina@example.org") -> str:
    """The manage link of the last mail queued to `email`, as its owner would follow it
    (only the mail holds the token: the database keeps its hash)."""
    for message in reversed(outbox(app)):
        if message.to_address == email:
            found = _MANAGE_LINK.search(message.body_text)
            if found:
                return found.group(1)
    raise AssertionError(f"no mail with a manage link to {email}")


def issue_manage_path(app, registration_id: int) -> str:
    """A new manage link for a registration made straight in the database (no mail was sent)."""
    from portal.clock import utcnow
    from portal.registration.links import issue_manage_link
    with app.app_context():
        url = issue_manage_link(db.session.get(Registration, registration_id), utcnow())
        db.session.commit()
    return _MANAGE_LINK.search(url).group(1)


def cancel_through_manage_link(app, client, registration_id: int):
    """The person cancels as they would: their manage link, the confirmation page, its form.
    Returns the answer to the POST."""
    from tests.support.web import csrf_token
    manage = issue_manage_path(app, registration_id)
    page = client.get(f"{manage}/cancel").get_data(as_text=True)
    return client.post(f"{manage}/cancel", data={"csrf_token": csrf_token(page)})


# --- the demo events, quickly ------------------------------------------------------------------
# Seeding the four demo events through the organisers' operations costs hundreds of ORM statements
# (about a second on PostgreSQL) and most tests need them: the first test of a session (per day)
# seeds them, the others get the same rows back from a copy, the time of seeding made theirs.
# tests/test_demo_data.py checks that the copy puts back what seeding would make.
_demo_copy: dict = {}


def seed_demo(app, now: dt.datetime) -> dict[str, int]:
    """The demo events as seed_demo_events(now) makes them, on an emptied database. {slug: id}."""
    from portal.events.demo import seed_demo_events
    with app.app_context():
        # The copy is put back only where seeding would start from what the copy was made from
        # (the same day: the events' dates follow it; nothing added before the events by the test).
        if _demo_copy.get("date") != now.date() or _made_before(_demo_copy["rows"]):
            before = _all_rows()
            clean = not _made_before(before)
            seeded = seed_demo_events(now)
            db.session.commit()
            ids = {event.slug: event.id for event in seeded}
            if clean:
                after = _all_rows()
                _demo_copy.update(date=now.date(), now=now, ids=ids,
                                  rows={name: rows for name, rows in after.items() if rows != before[name]})
            db.session.remove()
            return ids
    then = _demo_copy["now"]
    with app.app_context():
        with db.engine.begin() as connection:
            for table in db.metadata.sorted_tables:
                rows = _demo_copy["rows"].get(table.name)
                if rows is None:
                    continue
                if table.name in ("message_template", "institution"):  # put back by empty_database
                    connection.execute(table.delete())
                connection.execute(table.insert(), [
                    {key: _moved(value, then, now) for key, value in row.items()} for row in rows])
                if connection.dialect.name == "postgresql" and "id" in table.c:  # the next id after ours
                    connection.execute(sa_text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                               f"(SELECT max(id) FROM \"{table.name}\"))"))
        db.session.remove()
    return dict(_demo_copy["ids"])


def _moved(value, then: dt.datetime, now: dt.datetime):
    """A time of the seeding at `then` (given, or read from the clock while it ran, perhaps to the
    second) as the seeding at `now` would have written it."""
    if not isinstance(value, dt.datetime) or abs(value - then) > dt.timedelta(minutes=1):
        return value
    if value == then.replace(microsecond=0) != then:
        return now.replace(microsecond=0)
    return now + (value - then)


def _made_before(rows: dict) -> bool:
    """Rows in a table that seeding fills and an emptied database leaves empty."""
    names = [name for name in rows if name not in REFERENCE_TABLES | {"message_template", "institution"}]
    probe = " UNION ALL ".join(f'SELECT 1 FROM (SELECT 1 FROM "{name}" LIMIT 1) AS t{n}' for n, name in enumerate(names))
    return bool(names) and db.session.execute(sa_text(probe)).first() is not None


def _all_rows() -> dict[str, list[dict]]:
    """Every table's rows but the public pages' cache version (a counter every write moves, not data)."""
    return {table.name: [dict(row._mapping) for row in db.session.execute(table.select().order_by(
        *table.primary_key.columns))] for table in db.metadata.sorted_tables if table.name != "public_cache_version"}
