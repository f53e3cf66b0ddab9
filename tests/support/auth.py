"""Back-office accounts for the tests, and signing them in."""
from sqlalchemy import select

from portal.accounts.models import User
from portal.events.models import Event, Organization
from portal.extensions import db
from tests.support.web import csrf_token

PASSWORD = "correct horse battery staple"


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


def sign_in(client, email, password=PASSWORD):
    """Sign `client` in through the login form (a real POST with its CSRF token)."""
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": email, "password": password, "csrf_token": token})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return client
