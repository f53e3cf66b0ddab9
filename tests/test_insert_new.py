"""The public form's write path (issue 13): rows written around the ORM's unit of work
(database.insert_new). What people would notice if it went wrong: a registration without its
history, link or needs, counters that no longer add up, a duplicate written after all."""
import datetime as dt

import pytest
from sqlalchemy import select

from portal.clock import utcnow
from portal.database import insert_new, writing
from portal.events.models import Event
from portal.extensions import db
from portal.outbox import queue_message
from portal.outbox.models import OutboxMessage
from portal.registration.models import ManageLink, Registration, StatusChange, new_reference
from portal.registration.tally import fresh, stored
from tests.support.data import count

SLUG = "oriental"


def new_registration(event: Event, email: str, needs=("wheelchair",)) -> Registration:
    """A registration as the public form builds it (not yet written): history, needs, a manage link."""
    now = utcnow()
    registration = Registration(
        event_id=event.id, reference=new_reference(), first_name="Amina", last_name="Tazi", email=email,
        email_normalized=email.lower(), gender="female", age_band="25_34", organization_type="individual",
        province_code=event.regions[0].provinces[0].code, city="Oujda", workshop_id=event.workshops[0].id,
        consent_at=now, status="pending")
    registration.change_status("pending", now)
    registration.access_needs = list(needs)
    link, _token = ManageLink.issue(now, now + dt.timedelta(days=30))
    registration.manage_links.append(link)
    return registration


def the_event() -> Event:
    return db.session.scalar(select(Event).where(Event.slug == SLUG))


def test_insert_new_writes_the_row_with_what_it_owns_and_keeps_the_counters(app, app_ctx, events):
    registration = new_registration(the_event(), "amina@example.org")
    with writing():
        assert insert_new(registration) is True
    db.session.remove()

    saved = db.session.get(Registration, registration.id)  # the key set on the object is the row's
    assert saved.email == "amina@example.org" and saved.channel == "online"  # a column default applied
    assert saved.created_at is not None  # a server default applied
    assert saved.access_needs == ["wheelchair"]
    assert [(change.from_status, change.to_status) for change in saved.history] == [(None, "pending")]
    assert len(saved.manage_links) == 1
    event_id = saved.event_id
    assert stored([event_id]) == fresh(db.session.connection(), event_id)
    assert stored([event_id])[(event_id, "pending", "need", "wheelchair")] == 1


def test_insert_new_refused_by_a_unique_index_writes_nothing(app, app_ctx, events):
    with writing():
        assert insert_new(new_registration(the_event(), "amina@example.org")) is True
    db.session.remove()
    before = (count(app, Registration), count(app, StatusChange), count(app, ManageLink), stored([events[SLUG]]))

    with writing():  # the same address at the same event: the partial unique index refuses it
        assert insert_new(new_registration(the_event(), "Amina@example.org")) is False
    db.session.remove()
    assert (count(app, Registration), count(app, StatusChange), count(app, ManageLink),
            stored([events[SLUG]])) == before


def test_insert_new_refuses_what_it_would_leave_unsaved(app, app_ctx, events):
    event_ = the_event()
    registration = new_registration(event_, "amina@example.org")
    registration.workshop = event_.workshops[0]  # a relationship, not the foreign key: not written
    with pytest.raises(ValueError, match="foreign key"), writing():
        insert_new(registration)
    db.session.remove()
    assert count(app, Registration) == 0

    with writing():
        queue_message(to_address="a@example.org", subject="S", body_text="B")
    loaded = db.session.scalars(select(OutboxMessage)).one()
    with pytest.raises(ValueError, match="new objects only"), writing():  # a row of the database already
        insert_new(loaded)
