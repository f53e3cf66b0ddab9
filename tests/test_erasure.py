"""Erasure and retention (issue 8, item 10): after a person's data is erased, or purged when its
time is up, no text column of any table holds any of their values, while the event's counts
stay right. The person goes through everything that copies their data: registration with needs,
the acknowledgement and a campaign mail (sent), a coordinator's note and decision reason, an
export searched by their name, a waiting-list offer."""
import datetime as dt

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

from portal.clock import utcnow
from portal.extensions import db
from portal.outbox.worker import deliver_due
from portal.registration.models import Registration
from portal.review.models import ExportLog
from portal.security_log import log_path
from tests.support.data import issue_manage_path, registrations, set_venue
from tests.support.web import csrf_token, post_registration, submit_form, valid_registration

SLUG = "oriental"
PERSON = {"first_name": "Zoubida", "last_name": "Kharbouchi", "email": "zoubida.kharbouchi@example.org",
          "phone": "+212 6 99 88 77 66", "organization": "Association Tafilalet Vivante", "city": "Bouarfa",
          "access_needs": ["other"], "access_needs_details": "Fauteuil électrique très large", "consent_needs": "y",
          "diets": ["diabetic", "other"], "diet_details": "Sans lactose strict"}
NOTE = "Zoubida a appelé : besoin d'un accompagnement à la gare"
REASON = "Retenue : Kharbouchi représente le Tafilalet"
OTHER = {"first_name": "Ghita", "last_name": "Benjelloun", "email": "ghita@example.org"}


def _values() -> list[str]:
    return [PERSON["first_name"], PERSON["last_name"], PERSON["email"], PERSON["phone"], PERSON["organization"],
            PERSON["city"], PERSON["access_needs_details"], PERSON["diet_details"], NOTE, "accompagnement à la gare", REASON]


def _scan(app) -> list[str]:
    """Every text column of every table, searched for the person's values (case-insensitive)."""
    found = []
    with app.app_context():
        for table in db.metadata.sorted_tables:
            text_columns = [c for c in table.columns if isinstance(c.type, (sa.String, sa.Text))]
            if not text_columns:
                continue
            for row in db.session.execute(select(*text_columns)):
                for column, value in zip(text_columns, row):
                    for wanted in _values():
                        if value and wanted.lower() in str(value).lower():
                            found.append(f"{table.name}.{column.name}: {wanted}")
        db.session.remove()
    return found


def _diet_rows(app) -> int:
    """Declared diets kept, for every registration (a value alone, so _scan cannot tell whose)."""
    from portal.registration.models import RegistrationDiet
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(RegistrationDiet))


def _counts(app) -> dict:
    with app.app_context():
        rows = db.session.execute(select(Registration.status, Registration.gender, func.count())
                                  .group_by(Registration.status, Registration.gender)).all()
        db.session.remove()
    return {(status, gender): n for status, gender, n in rows}


@pytest.fixture
def world(app, client, auth, events, smtp_server):
    """The person and another registrant, through every place that copies their data."""
    set_venue(app, events[SLUG])  # a confirmation that names the place needs one
    assert post_registration(client, SLUG, valid_registration(app, SLUG, **PERSON)).status_code == 303
    assert post_registration(client, SLUG, valid_registration(app, SLUG, **OTHER)).status_code == 303
    person, other = registrations(app)
    coordinator = auth.sign_in("coordinator", SLUG, client=app.test_client())
    event_id = events[SLUG]
    participant = f"/review/events/{event_id}/participants/{person.id}"
    assert submit_form(coordinator, participant, {"body": NOTE}, action=f"{participant}/notes").status_code == 303
    page = coordinator.get(f"/review/events/{event_id}/participants").get_data(as_text=True)
    assert coordinator.post(f"/review/events/{event_id}/decisions", data={
        "csrf_token": csrf_token(page), "decision": "approve", "reason": REASON,
        "registration": [str(person.id)]}).status_code == 303
    export = coordinator.get(f"/review/events/{event_id}/export.csv?q=Kharbouchi")
    assert PERSON["last_name"] in export.get_data(as_text=True)
    admin = auth.sign_in("admin", client=app.test_client())
    template = _template_id(app, "Confirmation de participation")
    form = admin.get("/campaigns/new").get_data(as_text=True)
    created = admin.post("/campaigns/new", data={"csrf_token": csrf_token(form), "template": str(template),
                                                 "event": str(event_id), "status": "approved"},
                         content_type="multipart/form-data")
    campaign = created.headers["Location"]
    assert admin.post(f"{campaign}/send", data={"csrf_token": csrf_token(admin.get(campaign).get_data(
        as_text=True))}).status_code == 303
    with app.app_context():
        while deliver_due()["claimed"]:
            pass
        db.session.remove()
    found = _scan(app)
    assert any(f.startswith("outbox_message.") for f in found), "the mail did not go through the outbox"
    assert any(f.startswith("internal_note.") for f in found) and any(f.startswith("export_log.") for f in found)
    return {"person": person, "other": other, "coordinator": coordinator, "admin": admin}


def _template_id(app, name):
    from portal.campaigns.models import MessageTemplate
    with app.app_context():
        return db.session.scalar(select(MessageTemplate.id).where(MessageTemplate.name == name))


def test_erasure_by_the_person_leaves_none_of_their_values_anywhere(app, client, world):
    before = _counts(app)
    assert _diet_rows(app) == 2  # the person's diabetic and other diets
    # The mail already sent no longer holds the link (redacted once sent): as from their next mail.
    link = issue_manage_path(app, world["person"].id)
    page = client.get(f"{link}/erase").get_data(as_text=True)
    assert client.post(f"{link}/erase", data={"csrf_token": csrf_token(page)}).status_code == 200
    assert _scan(app) == [] and _diet_rows(app) == 0
    after = _counts(app)
    assert sum(after.values()) == sum(before.values()) - 1  # only their registration went
    assert [r.email for r in registrations(app)] == [OTHER["email"]]
    assert client.get(link).status_code == 404


def test_erasure_by_an_administrator_on_request_leaves_none_of_their_values(app, world):
    admin = world["admin"]
    found = admin.get("/people/?email=" + PERSON["email"].upper()).get_data(as_text=True)
    assert PERSON["last_name"] in found and OTHER["last_name"] not in found
    copy = admin.get("/people/data.json?email=" + PERSON["email"])
    assert copy.get_json()[0]["access_needs_details"] == PERSON["access_needs_details"]
    assert copy.headers["Cache-Control"] == "no-store"
    assert submit_form(admin, "/people/?email=" + PERSON["email"], {"email": PERSON["email"]},
                       action="/people/erase").status_code == 303
    assert _scan(app) == []
    assert [r.email for r in registrations(app)] == [OTHER["email"]]
    with open(log_path(app), encoding="utf-8") as log:
        assert '"event": "erasure"' in log.read()


def test_purge_after_the_retention_period_anonymises_and_keeps_the_counts(app, runner, world, clock):
    before = _counts(app)
    # A dry run a year and more after the event counts, and changes nothing.
    with app.app_context():
        event_day = db.session.get(Registration, world["person"].id).event.starts_on
    clock.now = dt.datetime.combine(event_day, dt.time()) + dt.timedelta(days=400)
    dry = runner.invoke(args=["purge", "--dry-run"])
    assert dry.exit_code == 0 and "dry run" in dry.output
    assert _scan(app) != []
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert "2  inscriptions anonymisées" in result.output
    assert _scan(app) == [] and _diet_rows(app) == 0
    assert _counts(app) == before  # statuses and genders still counted
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ExportLog)) == 0
        assert all(r.anonymised_at for r in db.session.scalars(select(Registration)))
    # Run again: nothing left to do.
    assert "0  inscriptions anonymisées" in runner.invoke(args=["purge"]).output


def test_purge_keeps_what_is_still_within_its_period(app, runner, world):
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0
    assert "0  inscriptions anonymisées" in result.output
    assert any(PERSON["last_name"] in f for f in _scan(app))
    assert utcnow()  # the real clock: the event is upcoming, its data is needed
