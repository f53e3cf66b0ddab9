"""Small helpers shared by the tests: a valid registration, CSRF tokens, database look-ups."""
import re

from sqlalchemy import func, select

from portal.events.models import Event
from portal.extensions import db
from portal.outbox.models import OutboxMessage
from portal.registration.models import Registration

CSRF_RE = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')


def csrf_token(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def form_page(client, slug: str) -> str:
    response = client.get(f"/events/{slug}/register")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def valid_registration(app, slug: str, **overrides) -> dict:
    """Form data that the form accepts for this event (province inside its regions)."""
    with app.app_context():
        event = db.session.scalar(select(Event).where(Event.slug == slug))
        province = min(event.regions[0].provinces, key=lambda p: p.code).code
        workshop = str(event.workshops[0].id)
    data = {
        "first_name": "Amina", "last_name": "El Idrissi", "email": "amina@example.org", "phone": "+212 6 12 34 56 78",
        "gender": "female", "age_band": "25_34", "organization": "Association Tawasol",
        "organization_type": "association", "province": province, "city": "Oujda", "workshop": workshop,
        "language": "fr", "consent": "y",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def post_registration(client, slug: str, data: dict, headers=None):
    token = csrf_token(form_page(client, slug))
    return client.post(f"/events/{slug}/register", data={**data, "csrf_token": token}, headers=headers or {})


def registrations(app, **filters) -> list[Registration]:
    with app.app_context():
        query = select(Registration).filter_by(**filters).order_by(Registration.id)
        rows = list(db.session.scalars(query))
        for row in rows:
            row.access_needs  # noqa: B018 (load before the session closes)
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
