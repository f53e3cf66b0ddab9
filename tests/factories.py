"""Make back-office users and many registrations quickly, straight in the database."""
import datetime as dt
import itertools

from sqlalchemy import select

from portal.accounts.models import User
from portal.events.models import Event, Organization
from portal.extensions import db
from portal.registration.models import Registration

PASSWORD = "correct horse battery staple"
_counter = itertools.count(1)


def make_user(app, email, role, organization=None, observed=()):
    with app.app_context():
        org = None
        if organization:
            org = db.session.scalar(select(Organization).where(
                (Organization.acronym == organization) | (Organization.name == organization)))
            if org is None:
                org = Organization(name=organization, acronym=organization)
                db.session.add(org)
        user = User(email=email, role=role, organization=org, name=email.split("@")[0])
        user.set_password(PASSWORD)
        user.observed_events = [db.session.get(Event, event_id) for event_id in observed]
        db.session.add(user)
        db.session.commit()
        return user.id


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


def sign_in(client, email, password=PASSWORD):
    """Sign `client` in through the login form (a real POST with its CSRF token)."""
    from tests.helpers import csrf_token
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": email, "password": password, "csrf_token": token})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return client


def set_capacity(app, event_id, seats):
    with app.app_context():
        db.session.get(Event, event_id).capacity = seats
        db.session.commit()
